import type { ReactNode } from "react";
import { Brand } from "../../components/Brand";

/** The frame of the sign-in and register pages. */
export function AuthLayout({ title, intro, children, footer }: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="auth">
      <header className="auth__header">
        <Brand to="/signin" />
      </header>
      <main id="main" className="auth__main" tabIndex={-1}>
        <div className="auth__card">
          <h1 className="auth__title">{title}</h1>
          {intro && <p className="auth__intro">{intro}</p>}
          {children}
        </div>
        {footer && <div className="auth__footer">{footer}</div>}
      </main>
      <footer className="auth__tagline">
        <p>Communities of practice, skills and mentorship — where everyone can lead.</p>
      </footer>
    </div>
  );
}
