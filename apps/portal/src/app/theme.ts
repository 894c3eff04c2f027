import type { ThemeConfig } from 'antd';

/**
 * A calm enterprise theme: one blue, system fonts that include the Chinese UI fonts, and text
 * colours dark enough for WCAG AA contrast on white (antd's default secondary text is not).
 */
export const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#1f4e99',
    colorLink: '#1f4e99',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
};
