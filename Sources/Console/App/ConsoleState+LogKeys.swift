import CoAP

/// The keys of the log tools and the prompts in the help bar: `/` search with n/N, the F4
/// kind filter, paging over a filtered log, and Ctrl-R through the input history.
extension ConsoleState {
    /// Keys while a prompt is open; nil lets the key through (quit keys, or a key that ends a
    /// history search and then acts as usual).
    mutating func handlePrompt(_ key: Key, now: Instant) -> [Action]? {
        guard let current = prompt else { return nil }
        if key == .function(10) || key == .control("c") { return nil }
        switch current {
        case .search(var pattern):
            switch key {
            case .character(let c):
                pattern.append(c)
                prompt = .search(pattern)
            case .backspace:
                if pattern.isEmpty { prompt = nil } else { pattern.removeLast(); prompt = .search(pattern) }
            case .enter:
                prompt = nil
                logDisplay.search = pattern
                logDisplay.currentMatch = nil
                logDisplay.searchFailed = false
                if !pattern.isEmpty { jumpToMatch(older: true) }
            case .escape:
                prompt = nil
            default:
                break
            }
        case .filter:
            switch key {
            case .character("a"):
                logDisplay.kinds = Set(LogEntry.Kind.allCases)
            case .character(let c):
                if let kind = LogDisplay.filterKeys.first(where: { $0.key == c })?.kind { logDisplay.toggle(kind) }
            case .enter, .escape, .function(4):
                prompt = nil
            default:
                break
            }
        case .history(var search):
            let history = editor.history
            switch key {
            case .character(let c): search.type(c, history: history)
            case .backspace: search.deleteBackward(history: history)
            case .control("r"): search.older(history: history)
            case .escape, .control("g"):
                prompt = nil
                editor.setText(search.original)
                return []
            case .enter:
                prompt = nil
                editor.setText(search.line(in: history) ?? search.original)
                return handle(.enter, now: now)
            default:
                // Any other key keeps the line found, to edit, and does its usual work.
                prompt = nil
                editor.setText(search.line(in: history) ?? search.original)
                return nil
            }
            prompt = .history(search)
            editor.setText(search.line(in: history) ?? search.original)
        }
        return []
    }

    /// Moves the view to the next match older (n, and Enter in the search prompt) or newer
    /// (N) than the last one, or than the bottom of the view for a new search.
    mutating func jumpToMatch(older: Bool) {
        let log = model.log
        guard !log.isEmpty, let bottom = logView.bottomSequence(in: log) else { return }
        let first = log[0].sequence
        let start: Int
        if let current = logDisplay.currentMatch, current >= first {
            start = current - first + (older ? -1 : 1)
        } else {
            start = bottom - first
        }
        guard start >= 0, start < log.count, let found = logDisplay.match(in: log, from: start, older: older) else {
            logDisplay.searchFailed = true
            return
        }
        logDisplay.searchFailed = false
        logDisplay.currentMatch = log[found].sequence
        // The match about the middle of the pane.
        let shownBottom = logDisplay.index(log, from: found, movingBack: -(logPageRows / 2))
        logView.hold(at: log[shownBottom].sequence)
    }

    /// PgUp/PgDn over a filtered log: by shown lines, not by entries.
    mutating func pageFilteredLog(back steps: Int) {
        let log = model.log
        guard !log.isEmpty, let bottom = logView.bottomSequence(in: log) else { return }
        let target = logDisplay.index(log, from: bottom - log[0].sequence, movingBack: steps)
        if steps < 0, target >= log.count - 1 { logView.end() } else { logView.hold(at: log[target].sequence) }
    }

    /// The wall-clock time of day at `Instant.zero` (milliseconds since local midnight), for
    /// clock timestamps.
    public mutating func setClockOrigin(_ milliseconds: Int64) { logDisplay.clockOrigin = milliseconds }
}
