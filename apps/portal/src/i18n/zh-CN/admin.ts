// 简体中文：admin 功能区。
import type { admin as en } from '../en/admin';

export const admin: typeof en = {
  title: '系统管理',
};
