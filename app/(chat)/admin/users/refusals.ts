// The reasons lib/admin/rules.ts and lib/workspace/roles.ts give for a refused action are the API's
// words (English, in its error messages); the console shows them in the reader's language from
// admin.users.refusals.*. tests/admin-refusals.test.ts checks every reason those rules can give is
// listed here; one they add later shows in English until it is.
export const REFUSAL_KEYS: Readonly<Record<string, string>> = {
  "You cannot deactivate or reactivate your own account": "deactivateSelf",
  "Only an owner can deactivate or reactivate an owner": "deactivateOwner",
  "Only an owner can deactivate or reactivate an admin": "deactivateAdmin",
  "Only admins can deactivate users": "deactivateNotAdmin",
  "Only admins can change roles": "roleNotAdmin",
  "Only an owner can make someone an owner or change an owner's role": "roleOwner",
  "Only an owner can change another admin's role": "roleOtherAdmin",
  "Only admins can reset passwords": "resetNotAdmin",
  "Change your own password in Settings (it asks for the current one)": "resetSelf",
  "Only an owner can reset the password of an admin or an owner": "resetAdmin",
};
