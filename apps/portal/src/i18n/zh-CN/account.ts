// 简体中文：单个客户页面。
import type { account as en } from '../en/account';

export const account: typeof en = {
  title: '客户详情',
};
