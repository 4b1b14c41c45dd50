/**
 * The tests' secrets, in a module that imports nothing: the global set-up reads RECORD_PEPPER before
 * TEST_DATABASE_URL is settled, and test-database.ts reads that variable when it is loaded.
 */
export const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** The tests' RECORD_PEPPER: the key of the record's digests of personal fields. */
export const RECORD_PEPPER = 'test-record-pepper-0123456789-abcdefghij';
/** The tests' LINK_KEY: the key of a consenting worker's linking digest. */
export const LINK_KEY = 'test-link-key-0123456789-abcdefghijklmnop';
