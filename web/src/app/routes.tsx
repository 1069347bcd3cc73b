import { AuditOutlined, CalendarOutlined, DashboardOutlined, FieldTimeOutlined, SafetyCertificateOutlined, SettingOutlined, TeamOutlined, ToolOutlined } from '@ant-design/icons';
import { AppstoreOutlined, ContactsOutlined, DollarOutlined, ExperimentOutlined, ShopOutlined, WarningOutlined } from '@ant-design/icons';
import { ExperimentOutlined as QualityIcon, NodeIndexOutlined } from '@ant-design/icons';
import { AuditOutlined as StocktakeIcon, DatabaseOutlined, HomeOutlined, InboxOutlined, ReconciliationOutlined } from '@ant-design/icons';
import { AuditOutlined as ReviewIcon, FileAddOutlined, FileExcelOutlined, PhoneOutlined, ProfileOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import { BookOutlined, ReadOutlined, SolutionOutlined } from '@ant-design/icons';
import { CarOutlined, ContainerOutlined, ExceptionOutlined, SendOutlined, TruckOutlined } from '@ant-design/icons';
import { BarChartOutlined, CarryOutOutlined, ControlOutlined, ProjectOutlined, ShopOutlined as SupplierIcon, SolutionOutlined as ProcurementIcon } from '@ant-design/icons';
import { AlertOutlined, CommentOutlined } from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { Messages } from './i18n/zh-CN';
import { PERMISSIONS } from './permissions';

export type MenuLabelKey = keyof Messages['menu'];

/** Loads a page module on first visit; pages use named exports. */
function lazyPage<K extends string, M extends Record<K, ComponentType>>(load: () => Promise<M>, name: K): LazyExoticComponent<ComponentType> {
  return lazy(async () => ({ default: (await load())[name] }));
}

export const LoginPage = lazyPage(() => import('../pages/auth/LoginPage'), 'LoginPage');
export const ForbiddenPage = lazyPage(() => import('../pages/errors/ForbiddenPage'), 'ForbiddenPage');
export const NotFoundPage = lazyPage(() => import('../pages/errors/NotFoundPage'), 'NotFoundPage');
export const ForcedPasswordChangePage = lazyPage(() => import('../pages/me/ChangePasswordPage'), 'ForcedPasswordChange');
export const PublicTracePage = lazyPage(() => import('../pages/trace/PublicTracePage'), 'PublicTracePage');

export type MenuGroup = { key: string; labelKey: MenuLabelKey; icon: ReactNode };

export const MENU_GROUPS = {
  customersGroup: { key: 'customersGroup', labelKey: 'customersGroup', icon: <ShopOutlined /> },
  catalogGroup: { key: 'catalogGroup', labelKey: 'catalogGroup', icon: <AppstoreOutlined /> },
  inventoryGroup: { key: 'inventoryGroup', labelKey: 'inventoryGroup', icon: <DatabaseOutlined /> },
  ordersGroup: { key: 'ordersGroup', labelKey: 'ordersGroup', icon: <ShoppingCartOutlined /> },
  trainingGroup: { key: 'trainingGroup', labelKey: 'trainingGroup', icon: <ReadOutlined /> },
  logisticsGroup: { key: 'logisticsGroup', labelKey: 'logisticsGroup', icon: <CarOutlined /> },
  planningGroup: { key: 'planningGroup', labelKey: 'planningGroup', icon: <ProjectOutlined /> },
  procurementGroup: { key: 'procurementGroup', labelKey: 'procurementGroup', icon: <ProcurementIcon /> },
  trackingGroup: { key: 'trackingGroup', labelKey: 'trackingGroup', icon: <AlertOutlined /> },
  admin: { key: 'admin', labelKey: 'admin', icon: <ToolOutlined /> },
} as const satisfies Record<string, MenuGroup>;

/**
 * One entry per screen inside the shell: the router and the side menu are both
 * built from this list, so a page and its menu item always need the same permission.
 */
export type AppPage = {
  path: string;
  labelKey: MenuLabelKey;
  /** Needed to see the menu item and open the route; undefined = any logged-in user. */
  permission?: string;
  /** Omit for pages reached another way (e.g. the user menu). */
  menu?: { icon: ReactNode; group?: keyof typeof MENU_GROUPS };
  component: LazyExoticComponent<ComponentType>;
};

export const APP_PAGES: readonly AppPage[] = [
  {
    path: '/',
    labelKey: 'dashboard',
    menu: { icon: <DashboardOutlined /> },
    component: lazyPage(() => import('../pages/dashboard/DashboardPage'), 'DashboardPage'),
  },
  {
    path: '/admin/users',
    labelKey: 'users',
    permission: PERMISSIONS.usersRead,
    menu: { icon: <TeamOutlined />, group: 'admin' },
    component: lazyPage(() => import('../pages/admin/UsersPage'), 'UsersPage'),
  },
  {
    path: '/admin/roles',
    labelKey: 'roles',
    permission: PERMISSIONS.usersRead,
    menu: { icon: <SafetyCertificateOutlined />, group: 'admin' },
    component: lazyPage(() => import('../pages/admin/RolesPage'), 'RolesPage'),
  },
  {
    path: '/admin/settings',
    labelKey: 'settings',
    permission: PERMISSIONS.settingsRead,
    menu: { icon: <SettingOutlined />, group: 'admin' },
    component: lazyPage(() => import('../pages/admin/SettingsPage'), 'SettingsPage'),
  },
  {
    path: '/admin/audit',
    labelKey: 'audit',
    permission: PERMISSIONS.auditRead,
    menu: { icon: <AuditOutlined />, group: 'admin' },
    component: lazyPage(() => import('../pages/admin/AuditPage'), 'AuditPage'),
  },
  {
    path: '/admin/jobs',
    labelKey: 'jobs',
    permission: PERMISSIONS.jobsRead,
    menu: { icon: <FieldTimeOutlined />, group: 'admin' },
    component: lazyPage(() => import('../pages/admin/JobsPage'), 'JobsPage'),
  },
  {
    path: '/admin/calendar',
    labelKey: 'calendar',
    permission: PERMISSIONS.calendarManage,
    menu: { icon: <CalendarOutlined />, group: 'admin' },
    component: lazyPage(() => import('../pages/admin/CalendarPage'), 'CalendarPage'),
  },
  {
    path: '/customers',
    labelKey: 'customers',
    permission: 'customers:read',
    menu: { icon: <ContactsOutlined />, group: 'customersGroup' },
    component: lazyPage(() => import('../pages/customers/CustomersPage'), 'CustomersPage'),
  },
  {
    path: '/customers/qualifications',
    labelKey: 'qualificationAlerts',
    permission: 'customers:read',
    menu: { icon: <WarningOutlined />, group: 'customersGroup' },
    component: lazyPage(() => import('../pages/customers/QualificationAlertsPage'), 'QualificationAlertsPage'),
  },
  { path: '/customers/:id', labelKey: 'customers', permission: 'customers:read', component: lazyPage(() => import('../pages/customers/CustomerDetailPage'), 'CustomerDetailPage') },
  {
    path: '/catalog/products',
    labelKey: 'products',
    permission: 'catalog:read',
    menu: { icon: <AppstoreOutlined />, group: 'catalogGroup' },
    component: lazyPage(() => import('../pages/catalog/ProductsPage'), 'ProductsPage'),
  },
  {
    path: '/catalog/materials',
    labelKey: 'materials',
    permission: 'catalog:read',
    menu: { icon: <ExperimentOutlined />, group: 'catalogGroup' },
    component: lazyPage(() => import('../pages/catalog/ProductsPage'), 'MaterialsPage'),
  },
  {
    path: '/catalog/price-lists',
    labelKey: 'priceLists',
    permission: 'prices:read',
    menu: { icon: <DollarOutlined />, group: 'catalogGroup' },
    component: lazyPage(() => import('../pages/catalog/PriceListsPage'), 'PriceListsPage'),
  },
  {
    path: '/inventory/stock',
    labelKey: 'inventoryStock',
    permission: 'inventory:read',
    menu: { icon: <InboxOutlined />, group: 'inventoryGroup' },
    component: lazyPage(() => import('../pages/inventory/StockPage'), 'StockPage'),
  },
  { path: '/inventory/lots/:id', labelKey: 'inventoryStock', permission: 'inventory:read', component: lazyPage(() => import('../pages/inventory/LotDetailPage'), 'LotDetailPage') },
  {
    path: '/inventory/stocktakes',
    labelKey: 'inventoryStocktakes',
    permission: 'inventory:read',
    menu: { icon: <StocktakeIcon />, group: 'inventoryGroup' },
    component: lazyPage(() => import('../pages/inventory/StocktakesPage'), 'StocktakesPage'),
  },
  {
    path: '/inventory/stocktakes/:id',
    labelKey: 'inventoryStocktakes',
    permission: 'inventory:read',
    component: lazyPage(() => import('../pages/inventory/StocktakeDetailPage'), 'StocktakeDetailPage'),
  },
  {
    path: '/inventory/replenishment',
    labelKey: 'inventoryReplenishment',
    permission: 'inventory:read',
    menu: { icon: <ReconciliationOutlined />, group: 'inventoryGroup' },
    component: lazyPage(() => import('../pages/inventory/ReplenishmentPage'), 'ReplenishmentPage'),
  },
  {
    path: '/inventory/warehouses',
    labelKey: 'inventoryWarehouses',
    permission: 'inventory:read',
    menu: { icon: <HomeOutlined />, group: 'inventoryGroup' },
    component: lazyPage(() => import('../pages/inventory/WarehousesPage'), 'WarehousesPage'),
  },
  {
    path: '/inquiries',
    labelKey: 'inquiries',
    permission: 'inquiries:read',
    menu: { icon: <PhoneOutlined />, group: 'ordersGroup' },
    component: lazyPage(() => import('../pages/orders/InquiriesPage'), 'InquiriesPage'),
  },
  {
    path: '/orders/new',
    labelKey: 'orderEntry',
    permission: 'orders:create',
    menu: { icon: <FileAddOutlined />, group: 'ordersGroup' },
    component: lazyPage(() => import('../pages/orders/OrderEntryPage'), 'OrderEntryPage'),
  },
  {
    path: '/orders',
    labelKey: 'orders',
    permission: 'orders:read',
    menu: { icon: <ProfileOutlined />, group: 'ordersGroup' },
    component: lazyPage(() => import('../pages/orders/OrdersPage'), 'OrdersPage'),
  },
  {
    path: '/orders/review',
    labelKey: 'reviewQueue',
    permission: 'orders:review',
    menu: { icon: <ReviewIcon />, group: 'ordersGroup' },
    component: lazyPage(() => import('../pages/orders/ReviewQueuePage'), 'ReviewQueuePage'),
  },
  {
    path: '/orders/import',
    labelKey: 'orderImport',
    permission: 'orders:create',
    menu: { icon: <FileExcelOutlined />, group: 'ordersGroup' },
    component: lazyPage(() => import('../pages/orders/ImportPage'), 'ImportPage'),
  },
  { path: '/orders/:id', labelKey: 'orders', permission: 'orders:read', component: lazyPage(() => import('../pages/orders/OrderDetailPage'), 'OrderDetailPage') },
  { path: '/orders/:id/edit', labelKey: 'orders', permission: 'orders:create', component: lazyPage(() => import('../pages/orders/OrderEntryPage'), 'OrderEntryPage') },
  {
    path: '/logistics/fulfilment',
    labelKey: 'logisticsFulfilment',
    permission: 'logistics:read',
    menu: { icon: <ContainerOutlined />, group: 'logisticsGroup' },
    component: lazyPage(() => import('../pages/logistics/FulfilmentPage'), 'FulfilmentPage'),
  },
  {
    path: '/logistics/orders/:id/delivery',
    labelKey: 'logisticsFulfilment',
    permission: 'logistics:read',
    component: lazyPage(() => import('../pages/logistics/DeliveryMethodPage'), 'DeliveryMethodPage'),
  },
  {
    path: '/logistics/pick-lists',
    labelKey: 'logisticsPickLists',
    permission: 'logistics:read',
    menu: { icon: <ProfileOutlined />, group: 'logisticsGroup' },
    component: lazyPage(() => import('../pages/logistics/PickListsPage'), 'PickListsPage'),
  },
  {
    path: '/logistics/pick-lists/:id',
    labelKey: 'logisticsPickLists',
    permission: 'logistics:read',
    component: lazyPage(() => import('../pages/logistics/PickListDetailPage'), 'PickListDetailPage'),
  },
  {
    path: '/logistics/backorders',
    labelKey: 'logisticsBackorders',
    permission: 'logistics:read',
    menu: { icon: <ExceptionOutlined />, group: 'logisticsGroup' },
    component: lazyPage(() => import('../pages/logistics/PickListsPage'), 'BackordersPage'),
  },
  {
    path: '/logistics/shipments',
    labelKey: 'logisticsShipments',
    permission: 'logistics:read',
    menu: { icon: <SendOutlined />, group: 'logisticsGroup' },
    component: lazyPage(() => import('../pages/logistics/ShipmentsPage'), 'ShipmentsPage'),
  },
  {
    path: '/logistics/shipments/:id',
    labelKey: 'logisticsShipments',
    permission: 'logistics:read',
    component: lazyPage(() => import('../pages/logistics/ShipmentDetailPage'), 'ShipmentDetailPage'),
  },
  {
    path: '/logistics/carriers',
    labelKey: 'logisticsCarriers',
    permission: 'logistics:read',
    menu: { icon: <TruckOutlined />, group: 'logisticsGroup' },
    component: lazyPage(() => import('../pages/logistics/CarriersPage'), 'CarriersPage'),
  },
  {
    path: '/quality',
    labelKey: 'quality',
    permission: 'quality:read',
    menu: { icon: <QualityIcon /> },
    component: lazyPage(() => import('../pages/quality/QualityPage'), 'QualityPage'),
  },
  {
    path: '/trace',
    labelKey: 'trace',
    permission: 'trace:read',
    menu: { icon: <NodeIndexOutlined /> },
    component: lazyPage(() => import('../pages/trace/TracePage'), 'TracePage'),
  },
  {
    path: '/training',
    labelKey: 'training',
    permission: 'training:read',
    menu: { icon: <SolutionOutlined />, group: 'trainingGroup' },
    component: lazyPage(() => import('../pages/training/TrainingPage'), 'TrainingPage'),
  },
  {
    path: '/training/me',
    labelKey: 'myTraining',
    menu: { icon: <BookOutlined />, group: 'trainingGroup' },
    component: lazyPage(() => import('../pages/training/MyTrainingPage'), 'MyTrainingPage'),
  },
  { path: '/training/attempts/:id', labelKey: 'myTraining', component: lazyPage(() => import('../pages/training/MyTrainingPage'), 'ExamPage') },
  { path: '/training/checkin/:token', labelKey: 'myTraining', component: lazyPage(() => import('../pages/training/MyTrainingPage'), 'CheckinPage') },
  {
    path: '/planning/tasks',
    labelKey: 'planningTasks',
    permission: 'planning:read',
    menu: { icon: <CarryOutOutlined />, group: 'planningGroup' },
    component: lazyPage(() => import('../pages/planning/TasksPage'), 'TasksPage'),
  },
  {
    path: '/planning/plans',
    labelKey: 'planningPlans',
    permission: 'planning:read',
    menu: { icon: <ProjectOutlined />, group: 'planningGroup' },
    component: lazyPage(() => import('../pages/planning/PlansPage'), 'PlansPage'),
  },
  { path: '/planning/plans/:id', labelKey: 'planningPlans', permission: 'planning:read', component: lazyPage(() => import('../pages/planning/PlanDetailPage'), 'PlanDetailPage') },
  {
    path: '/planning/mps',
    labelKey: 'planningMps',
    permission: 'planning:read',
    menu: { icon: <BarChartOutlined />, group: 'planningGroup' },
    component: lazyPage(() => import('../pages/planning/MpsPage'), 'MpsPage'),
  },
  {
    path: '/planning/calendars',
    labelKey: 'planningCalendars',
    permission: 'planning:read',
    menu: { icon: <CalendarOutlined />, group: 'planningGroup' },
    component: lazyPage(() => import('../pages/planning/CalendarsPage'), 'CalendarsPage'),
  },
  {
    path: '/exceptions',
    labelKey: 'exceptions',
    permission: 'exceptions:read',
    menu: { icon: <AlertOutlined />, group: 'trackingGroup' },
    component: lazyPage(() => import('../pages/tracking/ExceptionsPage'), 'ExceptionsPage'),
  },
  {
    path: '/exceptions/:id',
    labelKey: 'exceptions',
    permission: 'exceptions:read',
    component: lazyPage(() => import('../pages/tracking/ExceptionDetailPage'), 'ExceptionDetailPage'),
  },
  {
    path: '/feedback',
    labelKey: 'feedback',
    permission: 'feedback:read',
    menu: { icon: <CommentOutlined />, group: 'trackingGroup' },
    component: lazyPage(() => import('../pages/tracking/FeedbackPage'), 'FeedbackPage'),
  },
  {
    path: '/procurement/suppliers',
    labelKey: 'suppliers',
    permission: 'procurement:read',
    menu: { icon: <SupplierIcon />, group: 'procurementGroup' },
    component: lazyPage(() => import('../pages/procurement/SuppliersPage'), 'SuppliersPage'),
  },
  {
    path: '/procurement/suppliers/:id',
    labelKey: 'suppliers',
    permission: 'procurement:read',
    component: lazyPage(() => import('../pages/procurement/SupplierDetailPage'), 'SupplierDetailPage'),
  },
  {
    path: '/procurement/orders',
    labelKey: 'purchaseOrders',
    permission: 'procurement:read',
    menu: { icon: <ShoppingCartOutlined />, group: 'procurementGroup' },
    component: lazyPage(() => import('../pages/procurement/PurchaseOrdersPage'), 'PurchaseOrdersPage'),
  },
  {
    path: '/procurement/orders/:id',
    labelKey: 'purchaseOrders',
    permission: 'procurement:read',
    component: lazyPage(() => import('../pages/procurement/PurchaseOrderDetailPage'), 'PurchaseOrderDetailPage'),
  },
  {
    path: '/procurement/materials',
    labelKey: 'materialLevels',
    permission: 'procurement:read',
    menu: { icon: <ControlOutlined />, group: 'procurementGroup' },
    component: lazyPage(() => import('../pages/procurement/MaterialLevelsPage'), 'MaterialLevelsPage'),
  },
  {
    path: '/me/password',
    labelKey: 'changePassword',
    component: lazyPage(() => import('../pages/me/ChangePasswordPage'), 'ChangePasswordPage'),
  },
  {
    path: '/me/tokens',
    labelKey: 'apiTokens',
    component: lazyPage(() => import('../pages/me/TokensPage'), 'TokensPage'),
  },
];

/** The page whose path is the longest prefix of `pathname` (for menu highlighting). */
export function matchPage(pathname: string): AppPage | undefined {
  return [...APP_PAGES].filter((page) => pathname === page.path || (page.path !== '/' && pathname.startsWith(`${page.path}/`))).sort((a, b) => b.path.length - a.path.length)[0];
}
