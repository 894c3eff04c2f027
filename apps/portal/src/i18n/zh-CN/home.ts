// 简体中文：home 功能区。
import type { home as en } from '../en/home';

export const home: typeof en = {
  title: '总览',
};
