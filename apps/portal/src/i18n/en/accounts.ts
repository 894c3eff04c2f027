// English: the accounts area.
export const accounts = {
  title: 'Accounts',
};
