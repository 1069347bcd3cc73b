import { defineErrors } from '../errors/domain-error.js';

export const AuthErrors = defineErrors({
  AUTH_INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误。', en: 'Wrong username or password.' },
  AUTH_THROTTLED: { status: 429, zh: '登录失败次数过多,请 {minutes} 分钟后再试。', en: 'Too many failed sign-ins; try again in {minutes} minutes.' },
  AUTH_TOKEN_INVALID: { status: 401, zh: 'API 令牌无效、已过期或已撤销。', en: 'The API token is invalid, expired or revoked.' },
  USER_NOT_FOUND: { status: 404, zh: '用户不存在。', en: 'User not found.' },
  USER_USERNAME_TAKEN: { status: 409, zh: '用户名 {username} 已被使用。', en: 'Username {username} is already taken.' },
  USER_UNKNOWN_ROLE: { status: 400, zh: '未知角色:{role}', en: 'Unknown role: {role}' },
  USER_WEAK_PASSWORD: { status: 400, zh: '密码至少 8 位,且需同时包含字母和数字。', en: 'Passwords need at least 8 characters with letters and digits.' },
  USER_CANNOT_DISABLE_SELF: { status: 409, zh: '不能停用自己的账号。', en: 'You cannot disable your own account.' },
  USER_LAST_ADMIN: { status: 409, zh: '至少需要保留一个可用的系统管理员。', en: 'At least one active administrator must remain.' },
  USER_CUSTOMER_REQUIRED: { status: 422, zh: '客户角色的账号必须关联一个客户。', en: 'A customer-role account must be linked to a customer.' },
  AUTH_PASSWORD_CHANGE_REQUIRED: { status: 403, zh: '您使用的是一次性密码,请先修改密码。', en: 'You signed in with a one-time password; change your password first.' },
  AUTH_CURRENT_PASSWORD_WRONG: { status: 400, zh: '当前密码不正确。', en: 'The current password is wrong.' },
  AUTH_PASSWORD_UNCHANGED: { status: 400, zh: '新密码不能与当前密码相同。', en: 'The new password must differ from the current one.' },
  TOKEN_NOT_FOUND: { status: 404, zh: '令牌不存在。', en: 'Token not found.' },
});
