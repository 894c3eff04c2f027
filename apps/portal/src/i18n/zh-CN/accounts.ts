// 简体中文：accounts 功能区。
import type { accounts as en } from '../en/accounts';

export const accounts: typeof en = {
  title: '客户',
};
