// Loaded in <head>, before the stylesheets paint and long before Blazor starts: the page is drawn in the chosen theme
// from its first frame instead of flashing light and then turning dark.
// The choice ("system", "light" or "dark") is kept in localStorage; "system" follows prefers-color-scheme, live.
(() => {
    const storageKey = "tracefleet.theme";
    const choices = ["system", "light", "dark"];
    const darkQuery = window.matchMedia("(prefers-color-scheme: dark)");
    let current = "system";

    const stored = () => {
        try {
            const value = localStorage.getItem(storageKey);
            return choices.includes(value) ? value : "system";
        } catch {
            // Storage refused (a sandboxed frame, some private modes): the system setting still applies.
            return "system";
        }
    };

    const apply = choice => {
        current = choice;
        const root = document.documentElement;
        root.dataset.theme = choice === "system" ? (darkQuery.matches ? "dark" : "light") : choice;
        root.dataset.themeChoice = choice;
    };

    darkQuery.addEventListener("change", () => apply(current));
    // Another tab changed the choice.
    window.addEventListener("storage", e => { if (e.key === storageKey) apply(stored()); });
    apply(stored());

    // Called by the header's ThemeToggle through JS interop.
    window.tracefleetTheme = {
        choice: () => current,
        choose: choice => {
            if (!choices.includes(choice)) {
                throw new Error(`theme must be one of ${choices.join(", ")}, not ${choice}`);
            }
            try {
                localStorage.setItem(storageKey, choice);
            } catch {
                // Not remembered past this page, but applied to it.
            }
            apply(choice);
        },
    };
})();
