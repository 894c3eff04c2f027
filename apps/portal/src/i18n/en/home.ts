// English: the home area.
export const home = {
  title: 'Home',
};
