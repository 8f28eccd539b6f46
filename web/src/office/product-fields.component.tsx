import { categoryLabel } from '../format/dates.format';
import { useCategories } from './categories.hook';
import type { DraftErrors, ProductDraft } from './product-form';

/** The editable fields of a product, with the problems the form found in each. */
export function ProductFieldsEditor({
  draft,
  errors,
  onChange,
}: {
  draft: ProductDraft;
  errors: DraftErrors;
  onChange: (draft: ProductDraft) => void;
}) {
  const categories = useCategories();
  const input = (
    field: keyof ProductDraft,
    label: string,
    extra: { inputMode?: 'decimal' | 'numeric'; list?: string; hint?: string } = {},
  ) => (
    <div className="field">
      <label htmlFor={`product-${field}`}>{label}</label>
      <input
        id={`product-${field}`}
        value={draft[field]}
        inputMode={extra.inputMode}
        list={extra.list}
        onChange={(event) => onChange({ ...draft, [field]: event.target.value })}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={errors[field] ? `product-${field}-error` : undefined}
      />
      {extra.hint && <span className="hint">{extra.hint}</span>}
      {errors[field] && (
        <span id={`product-${field}-error`} className="field-error">
          {errors[field]}
        </span>
      )}
    </div>
  );
  return (
    <>
      <div className="form-grid">
        {input('name', 'Name')}
        {input('category', 'Category', { list: 'known-categories' })}
        {input('price', 'Price (£)', { inputMode: 'decimal' })}
        {input('stock', 'Units in stock', { inputMode: 'numeric' })}
      </div>
      <datalist id="known-categories">
        {categories.map((slug) => (
          <option key={slug} value={slug}>
            {categoryLabel(slug)}
          </option>
        ))}
      </datalist>
      <div className="field">
        <label htmlFor="product-description">Description</label>
        <textarea
          id="product-description"
          value={draft.description}
          onChange={(event) => onChange({ ...draft, description: event.target.value })}
          aria-invalid={errors.description ? true : undefined}
        />
        {errors.description && <span className="field-error">{errors.description}</span>}
      </div>
    </>
  );
}
