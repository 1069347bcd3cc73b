import type { TFunction } from 'i18next';
import { zhCN } from './i18n/zh-CN';

type RoleCode = keyof typeof zhCN.roleNames;
type ModuleCode = keyof typeof zhCN.settingModules;

function isRoleCode(code: string): code is RoleCode {
  return Object.hasOwn(zhCN.roleNames, code);
}

function isModuleCode(code: string): code is ModuleCode {
  return Object.hasOwn(zhCN.settingModules, code);
}

/** Localised name of a role code; unknown codes are shown as they are. */
export function roleLabel(t: TFunction, code: string): string {
  return isRoleCode(code) ? t(`roleNames.${code}`) : code;
}

/** Localised name of a settings module; unknown modules are shown as they are. */
export function moduleLabel(t: TFunction, code: string): string {
  return isModuleCode(code) ? t(`settingModules.${code}`) : code;
}
