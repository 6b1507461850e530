import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useState } from "react";
import { Link } from "react-router";
import type { Me } from "../api/types";
import { useAuth } from "../auth/context";
import { THEME_CHOICES, THEME_LABELS, setTheme, useThemeChoice, type ThemeChoice } from "../lib/theme";
import { Avatar } from "./Avatar";

export function UserMenu({ user }: { user: Me }) {
  const auth = useAuth();
  const [signingOut, setSigningOut] = useState(false);
  const theme = useThemeChoice();

  return (
    // Not modal: the page stays visible to assistive technology while the menu is open.
    <DropdownMenu.Root modal={false}>
      {/* The accessible name comes from the visible text (WCAG 2.5.3 label in name). */}
      <DropdownMenu.Trigger className="user-menu__trigger">
        <Avatar name={user.display_name} url={user.avatar_url} size="sm" />
        <span className="visually-hidden">Account menu for</span>{" "}
        <span className="user-menu__name">{user.display_name}</span>
        <svg className="user-menu__chevron" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M4.2 6.2 8 10l3.8-3.8-1.06-1.06L8 7.88 5.26 5.14 4.2 6.2Z" />
        </svg>
      </DropdownMenu.Trigger>
      {/* No portal: the menu stays inside the banner landmark it belongs to. */}
      <DropdownMenu.Content className="menu" align="end" sideOffset={8} collisionPadding={8}>
        <DropdownMenu.Label className="menu__label">
          <span className="menu__label-name">{user.display_name}</span>
          <span className="menu__label-handle">@{user.handle}</span>
        </DropdownMenu.Label>
        <DropdownMenu.Separator className="menu__separator" />
        <DropdownMenu.Item asChild className="menu__item">
          <Link to="/settings">Settings</Link>
        </DropdownMenu.Item>
        <DropdownMenu.Separator className="menu__separator" />
        {/* System follows the device; Light and Dark are remembered in this browser. */}
        <DropdownMenu.Label className="menu__label menu__label--group" id="theme-menu-label">
          Theme
        </DropdownMenu.Label>
        <DropdownMenu.RadioGroup
          aria-labelledby="theme-menu-label"
          value={theme}
          onValueChange={(value) => {
            setTheme(value as ThemeChoice);
          }}
        >
          {THEME_CHOICES.map((choice) => (
            <DropdownMenu.RadioItem
              key={choice}
              value={choice}
              className="menu__item menu__item--radio"
              // Stay open: the reader sees the page change and may try another.
              onSelect={(event) => {
                event.preventDefault();
              }}
            >
              <span className="menu__check" aria-hidden="true">
                <DropdownMenu.ItemIndicator>✓</DropdownMenu.ItemIndicator>
              </span>
              {THEME_LABELS[choice]}
            </DropdownMenu.RadioItem>
          ))}
        </DropdownMenu.RadioGroup>
        <DropdownMenu.Separator className="menu__separator" />
        <DropdownMenu.Item
          className="menu__item"
          disabled={signingOut}
          onSelect={() => {
            setSigningOut(true);
            void auth.signOut().finally(() => {
              setSigningOut(false);
            });
          }}
        >
          {signingOut ? "Signing out…" : "Sign out"}
        </DropdownMenu.Item>
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}
