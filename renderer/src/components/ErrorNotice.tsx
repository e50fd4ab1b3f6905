// A failure said plainly, where it happened.
export function ErrorNotice({ title, message }: { title: string; message: string }) {
  return (
    <div className="error-notice" role="alert" data-testid="error">
      <strong>{title}</strong>
      <span>{message}</span>
    </div>
  );
}
