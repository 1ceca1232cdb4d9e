/// A prompt that takes the keys for a moment, drawn in the help bar: a log search pattern
/// being typed (`/`), the filter's kind toggles (F4), or a reverse search through the input
/// history (Ctrl-R).
public enum ConsolePrompt: Hashable, Sendable {
    case search(String)
    case filter
    case history(HistorySearch)
}
