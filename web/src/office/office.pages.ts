// The back office, loaded as one chunk the first time an employee opens it.
export { AuditLogPage } from './audit-log.page';
export { BackupsPage } from './backups.page';
export { NewProductPage } from './new-product.page';
export { OfficeHomePage } from './office-home.page';
export { OfficeLayout } from './office-layout.component';
export { OrderAdminPage } from './order-admin.page';
export { OrdersAdminPage } from './orders-admin.page';
export { ProductEditPage } from './product-edit.page';
export { ProductsAdminPage } from './products-admin.page';
export { SearchAdminPage } from './search-admin.page';
export { SynonymsPage } from './synonyms.page';
export { UserEditPage } from './user-edit.page';
export { UsersAdminPage } from './users-admin.page';
