// English: one account's page.
export const account = {
  title: 'Account',
};
