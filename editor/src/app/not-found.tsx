import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/playbooks">Go to the playbooks</Link>.
      </p>
    </div>
  );
}
