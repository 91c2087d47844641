/**
 * Stable result codes of the logistics domain. A code, once released, never changes meaning: clients,
 * receipts and the docs/domain.md table depend on it (a test keeps that table and this list in step).
 */
export const RESULT_CODES = {
  // Envelope / authorization
  OP_UNKNOWN: 'The operation type is not one this ledger knows.',
  OP_MALFORMED: 'A field of the operation is missing, of the wrong type or out of range.',
  SOURCE_NOT_SIGNER: "The transaction's source did not sign it.",
  SOURCE_UNKNOWN: 'The source is neither a registered member nor (for a scan) a registered device.',
  SOURCE_REVOKED: 'The source member has been revoked.',
  ROLE_REQUIRED: 'The source lacks the role this operation needs (an auditor holds no write role).',
  APPROVALS_INSUFFICIENT: 'Fewer distinct active admins signed than the adminApprovals parameter requires.',
  NOT_CUSTODIAN: "The source's organization is not the item's (or the stock site's) custodian.",
  NOT_OWNER: "The source's organization does not own the item.",
  NOT_ORG_MEMBER: 'The source does not act for the organization this operation concerns.',
  NOT_RECEIVER: "The source's organization is not the one the custody offer was made to.",
  // Governance
  ORG_CODE_INVALID: 'An organization code must be a DoDAAC (6 characters) or a CAGE (5 characters).',
  ORG_EXISTS: 'An organization with this code is already registered.',
  ORG_NOT_FOUND: 'No organization with this code is registered.',
  MEMBER_ID_INVALID: 'A member or device id must be 1..128 printable ASCII characters without "/".',
  MEMBER_EXISTS: 'This key is already registered (as a member or a device); keys are never reused.',
  MEMBER_NOT_FOUND: 'No member with this key is registered.',
  MEMBER_REVOKED: 'The member is already revoked.',
  ROLES_INVALID: 'Roles must be a non-empty list of distinct known roles.',
  LAST_ADMINS: 'Revoking this admin would leave fewer active admins than adminApprovals requires.',
  DEVICE_EXISTS: 'This key is already registered (as a device or a member).',
  DEVICE_NOT_FOUND: 'No device with this key is registered.',
  DEVICE_REVOKED: 'The device has been revoked.',
  DEVICE_SIGNATURE_REQUIRED: 'The device that reports a scan did not sign the transaction.',
  SITE_ID_INVALID: 'A site id must be 1..32 characters of A-Z, 0-9 and "-".',
  SITE_EXISTS: 'A site with this id is already registered.',
  SITE_NOT_FOUND: 'No site with this id is registered.',
  LOCATION_INVALID:
    'A location must be {site}, {lat, lon} in degrees or {latE6, lonE6} in micro-degrees, in range.',
  PARAMETER_UNKNOWN: 'No network parameter has this name.',
  PARAMETER_INVALID: 'The value is outside the range allowed for this parameter.',
  // Catalog
  NSN_MALFORMED: 'The NSN is not FSC (4 digits) + NIIN (2-digit bureau code + 7 letters or digits).',
  ITEM_CLASS_EXISTS: 'An item class with this NSN is already defined.',
  ITEM_CLASS_NOT_FOUND: 'No item class is defined for this NSN.',
  ITEM_CLASS_NOT_SERIALIZED: 'The item class is bulk; it is tracked as stock, not as items.',
  ITEM_CLASS_NOT_BULK: 'The item class is serialized; it is tracked as items, not as stock.',
  // Items
  UII_MALFORMED: 'The UII is not 1..50 characters of A-Z, 0-9, "-" and "/".',
  UII_SERIAL_MISMATCH: 'The UII does not end with the serial number (both MIL-STD-130 constructs do).',
  UII_DUPLICATE: 'The UII is already registered; the attempt is recorded as a suspect-counterfeit alert.',
  CAGE_INVALID: 'A CAGE code is 5 upper-case letters or digits.',
  SERIAL_INVALID: 'A serial number is 1..30 characters of A-Z, 0-9, "-" and "/".',
  CONDITION_INVALID: 'Not a supply condition code of DLM 4000.25.',
  ITEM_NOT_FOUND: 'No item with this UII is registered.',
  ITEM_DISPOSED: 'The item has been disposed of; nothing more can happen to it.',
  ITEM_CONDEMNED: 'The item is condemned; it can only be offered or disposed of.',
  ITEM_QUARANTINED: 'The item is quarantined; release it first.',
  ITEM_NOT_QUARANTINED: 'The item is not quarantined.',
  ITEM_INSTALLED: 'The item is installed in an assembly; remove it first (or act on the top assembly).',
  ITEM_NOT_INSTALLED: 'The item is not installed in an assembly.',
  ITEM_HAS_COMPONENTS: 'The item still has components installed; remove them first.',
  INSTALL_SELF: 'An item cannot be installed into itself or into one of its own components.',
  INSTALL_UNSERVICEABLE: 'Only items in a serviceable condition (A, B, C, D, T) can be installed.',
  INSTALL_LIMIT: 'The assembly already has the maximum number of components or nesting depth.',
  USAGE_INVALID: 'Usage increments must be non-negative safe integers, not both zero.',
  TEXT_INVALID: 'A free-text field (reason, action, name) is empty or too long.',
  // Custody
  OFFER_PENDING:
    'The item already has a pending custody offer; it must be accepted, rejected or expire first.',
  OFFER_TO_SELF: 'Custody cannot be offered to the organization that already holds it.',
  OFFER_NOT_FOUND: 'No custody offer has this id.',
  OFFER_MISMATCH: 'The custody offer is for a different item.',
  OFFER_SUPERSEDED: 'The custody offer is no longer pending (accepted, rejected, withdrawn or expired).',
  OFFER_EXPIRED: 'The custody offer passed its expiry before this ledger closed.',
  // Stock
  QUANTITY_INVALID: 'A quantity must be a positive safe integer (an adjustment: a non-zero safe integer).',
  QUANTITY_OVERFLOW: 'The resulting quantity would exceed the largest safe integer.',
  INSUFFICIENT_STOCK: 'There is not enough stock at this NSN, site, lot and condition.',
  LOT_INVALID: 'A lot number is 0..20 characters of A-Z, 0-9 and "-".',
  // IoT
  SCAN_TIME_INVALID:
    "The scan time is outside the window the network accepts around the ledger's close time.",
  // Applying a transaction
  NOT_APPLIED: 'An earlier operation of the same transaction failed, so this one was not applied.',
  TX_EMPTY: 'A transaction must hold at least one operation.',
  TX_TOO_LARGE: 'The transaction holds more operations than the maxOpsPerTx parameter allows.',
} as const;

export type ResultCode = keyof typeof RESULT_CODES;

export const isResultCode = (c: string): c is ResultCode => Object.hasOwn(RESULT_CODES, c);
