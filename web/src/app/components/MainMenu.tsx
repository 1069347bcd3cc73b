import { Menu, type MenuProps } from 'antd';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useAuth } from '../auth';
import { APP_PAGES, MENU_GROUPS, matchPage } from '../routes';

type MenuItem = NonNullable<MenuProps['items']>[number];

/**
 * Menu items come from APP_PAGES: a page is listed only when it has `menu` set and
 * the user holds its permission; a group with no visible pages disappears.
 */
function buildMenuItems(t: TFunction, can: (permission: string | undefined) => boolean): MenuItem[] {
  const items: MenuItem[] = [];
  const groups = new Map<string, MenuItem[]>();
  for (const page of APP_PAGES) {
    if (!page.menu || !can(page.permission)) continue;
    const item: MenuItem = {
      key: page.path,
      icon: page.menu.icon,
      label: <Link to={page.path}>{t(`menu.${page.labelKey}`)}</Link>,
    };
    const groupKey = page.menu.group;
    if (!groupKey) {
      items.push(item);
      continue;
    }
    let children = groups.get(groupKey);
    if (!children) {
      children = [];
      groups.set(groupKey, children);
      const group = MENU_GROUPS[groupKey];
      items.push({ key: group.key, icon: group.icon, label: t(`menu.${group.labelKey}`), children });
    }
    children.push(item);
  }
  return items;
}

export function MainMenu() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { pathname } = useLocation();
  const items = useMemo(() => buildMenuItems(t, can), [t, can]);
  const current = matchPage(pathname);
  const openGroup = current?.menu?.group;

  return (
    <Menu
      data-testid="main-menu"
      // links of closed groups are in the page too (tests walk every menu page; screen readers find them)
      forceSubMenuRender
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={current ? [current.path] : []}
      defaultOpenKeys={openGroup ? [MENU_GROUPS[openGroup].key] : []}
    />
  );
}
