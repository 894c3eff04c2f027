import type { ThemeConfig } from 'antd';

/**
 * A calm enterprise theme: one blue, system fonts that include the Chinese UI fonts, and text
 * colours (and the error red) dark enough for WCAG AA contrast on white (antd's default secondary text is not).
 */
export const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#1f4e99',
    colorLink: '#1f4e99',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    // Description-list labels and other tertiary text (antd's default 0.45 is about 3:1).
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    // Form errors and danger buttons as readable text (antd's #ff4d4f is about 3:1 on white).
    colorError: '#c41d1f',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
};
