import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/api-error';
import type { ProductFields } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { ErrorNotice } from '../ui/error-notice.component';
import { usePageTitle } from '../ui/page-title.hook';
import { ProductFieldsEditor } from './product-fields.component';
import { EMPTY_DRAFT, checkedDraft, type DraftErrors } from './product-form';

export function NewProductPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(EMPTY_DRAFT);
  const [errors, setErrors] = useState<DraftErrors>({});
  usePageTitle('New product');
  const create = useMutation({
    mutationFn: (fields: ProductFields) => storeApi.createProduct(fields),
    onSuccess: (product) => {
      void queryClient.invalidateQueries();
      void navigate(`/office/products/${product.id}`, { state: { created: true } });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'PRODUCT_NAME_TAKEN')
        setErrors({ name: error.message });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const fields = checkedDraft(draft, setErrors);
    if (fields) create.mutate(fields);
  };

  return (
    <>
      <h1>New product</h1>
      <form onSubmit={submit} noValidate>
        {create.error && !errors.name && <ErrorNotice error={create.error} />}
        <ProductFieldsEditor draft={draft} errors={errors} onChange={setDraft} />
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add product'}
        </button>
      </form>
    </>
  );
}
