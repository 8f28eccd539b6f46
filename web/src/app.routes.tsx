import { createBrowserRouter } from 'react-router';
import { AccountPage } from './account/account.page';
import { ConfirmEmailPage } from './auth/confirm-email.page';
import { ForgotPasswordPage } from './auth/forgot-password.page';
import { LoginPage } from './auth/login.page';
import { RegisterPage } from './auth/register.page';
import { ResetPasswordPage } from './auth/reset-password.page';
import { VerifyEmailPage } from './auth/verify-email.page';
import { CartPage } from './shop/cart.page';
import { CataloguePage } from './shop/catalogue.page';
import { CheckoutPage } from './shop/checkout.page';
import { ContactPage } from './shop/contact.page';
import { NotFoundPage } from './shop/not-found.page';
import { OrderPage } from './shop/order.page';
import { OrdersPage } from './shop/orders.page';
import { ProductPage } from './shop/product.page';
import { RouteErrorPage } from './shop/route-error.page';
import { ShopLayout } from './shop/shop-layout.component';

/** The back office is one lazily loaded chunk: shoppers never download it. */
const office = () => import('./office/office.pages');

export const router = createBrowserRouter([
  {
    element: <ShopLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <CataloguePage /> },
      { path: 'products/:id', element: <ProductPage /> },
      { path: 'cart', element: <CartPage /> },
      { path: 'checkout', element: <CheckoutPage /> },
      { path: 'orders', element: <OrdersPage /> },
      { path: 'orders/:id', element: <OrderPage /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'register', element: <RegisterPage /> },
      // The store mails links to these three (PUBLIC_URL/<page>?token=…).
      { path: 'verify-email', element: <VerifyEmailPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      { path: 'confirm-email', element: <ConfirmEmailPage /> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'account', element: <AccountPage /> },
      { path: 'contact', element: <ContactPage /> },
      {
        path: 'office',
        lazy: async () => ({ Component: (await office()).OfficeLayout }),
        children: [
          { index: true, lazy: async () => ({ Component: (await office()).OfficeHomePage }) },
          {
            path: 'products',
            lazy: async () => ({ Component: (await office()).ProductsAdminPage }),
          },
          {
            path: 'products/new',
            lazy: async () => ({ Component: (await office()).NewProductPage }),
          },
          {
            path: 'products/:id',
            lazy: async () => ({ Component: (await office()).ProductEditPage }),
          },
          { path: 'orders', lazy: async () => ({ Component: (await office()).OrdersAdminPage }) },
          {
            path: 'orders/:id',
            lazy: async () => ({ Component: (await office()).OrderAdminPage }),
          },
          { path: 'users', lazy: async () => ({ Component: (await office()).UsersAdminPage }) },
          {
            path: 'users/:id',
            lazy: async () => ({ Component: (await office()).UserEditPage }),
          },
          { path: 'audit', lazy: async () => ({ Component: (await office()).AuditLogPage }) },
          { path: 'search', lazy: async () => ({ Component: (await office()).SearchAdminPage }) },
          {
            path: 'search/synonyms',
            lazy: async () => ({ Component: (await office()).SynonymsPage }),
          },
          { path: 'backups', lazy: async () => ({ Component: (await office()).BackupsPage }) },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
