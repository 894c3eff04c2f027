// English: the tiering area.
export const tiering = {
  title: 'Tiering',
};
