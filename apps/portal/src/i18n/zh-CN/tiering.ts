// 简体中文：tiering 功能区。
import type { tiering as en } from '../en/tiering';

export const tiering: typeof en = {
  title: '客户分级',
};
