/** Few left is worth saying; exact stock counts beyond that are not. */
const FEW = 5;

export function StockNote({ stock }: { stock: number }) {
  if (stock <= 0) return <span className="badge off">Out of stock</span>;
  if (stock <= FEW) return <span className="badge low">Only {stock} left</span>;
  return <span className="badge ok">In stock</span>;
}
