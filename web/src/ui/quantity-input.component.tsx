import { MAX_QUANTITY } from '../cart/cart';

/** A quantity with − and + buttons; typing works too. */
export function QuantityInput({
  value,
  onChange,
  label,
  min = 1,
  id,
}: {
  value: number;
  onChange: (quantity: number) => void;
  label: string;
  min?: number;
  id: string;
}) {
  return (
    <div className="quantity">
      <button
        type="button"
        className="secondary"
        aria-label={`One less: ${label}`}
        disabled={value <= min}
        onClick={() => onChange(value - 1)}
      >
        −
      </button>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={MAX_QUANTITY}
        value={value}
        onChange={(event) => {
          const next = Number(event.target.value);
          if (Number.isInteger(next) && next >= min) onChange(Math.min(next, MAX_QUANTITY));
        }}
      />
      <button
        type="button"
        className="secondary"
        aria-label={`One more: ${label}`}
        disabled={value >= MAX_QUANTITY}
        onClick={() => onChange(value + 1)}
      >
        +
      </button>
    </div>
  );
}
