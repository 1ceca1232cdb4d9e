#if canImport(Glibc)
import Glibc
#endif
import CNCurses

/// The ncurses driver: puts a ``Grid`` on the terminal and reads keys. The only place that
/// calls curses.
///
/// Contract: `init` switches the terminal to raw, no-echo, keypad mode with the locale's
/// encoding (UTF-8 for box drawing and Chinese); ``restore()`` gives the terminal back and is
/// safe to call any number of times, from any exit path. Colours are used only when the
/// terminal has them and `colors` is true (NO_COLOR or --no-color turn them off); without them
/// styles become bold, reverse and dim.
public final class CursesTerminal {
    private let colors: Bool
    private var active = false
    /// The grid drawn last, to skip the rows that did not change.
    private var previous: Grid?

    public init(colors: Bool) {
        setlocale(LC_ALL, "")
        _ = initscr()
        raw()
        noecho()
        nonl()
        let screen = bc_stdscr()
        keypad(screen, true)
        nodelay(screen, true)
        set_escdelay(25)
        // No peeking for typed keys midway through an update: ncurses would flush (one write
        // per line) to look, and a frame would reach the terminal in pieces.
        typeahead(-1)
        self.colors = colors && has_colors()
        if self.colors {
            start_color()
            use_default_colors()
            for style in CellStyle.allCases {
                let (fg, bg) = Self.colorPair(style)
                init_pair(Int16(style.rawValue) + 1, fg, bg)
            }
        }
        active = true
        CursesTerminal.installCrashHandlers()
    }

    deinit { restore() }

    /// The terminal's size in columns and rows.
    public var size: (width: Int, height: Int) {
        let screen = bc_stdscr()
        return (Int(getmaxx(screen)), Int(getmaxy(screen)))
    }

    /// Every key waiting, decoded; empty when none.
    public func readKeys() -> [Key] {
        var keys: [Key] = []
        let screen = bc_stdscr()
        while keys.count < 4096 {
            var ch: wint_t = 0
            let result = wget_wch(screen, &ch)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if let key = Self.functionKey(Int32(ch)) { keys.append(key) }
            } else if let key = Key.fromControlByte(UInt32(ch)) {
                keys.append(key)
            } else if let scalar = Unicode.Scalar(UInt32(ch)), ch >= 0x20 {
                keys.append(.character(Character(scalar)))
            }
        }
        return keys
    }

    /// Draws `frame` and places the cursor.
    public func draw(_ frame: ConsoleScreen.Frame) {
        let screen = bc_stdscr()
        let grid = frame.grid
        // Rows as they were last time are already in curses' picture of the screen.
        for row in 0..<grid.height where previous.map({ !grid.rowMatches($0, row: row) }) ?? true {
            for run in grid.runs(row: row) {
                _ = bc_wattrset(screen, attributes(run.style))
                var wide = run.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                wide.append(0)
                _ = mvwaddnwstr(screen, Int32(row), Int32(run.column), wide, Int32(wide.count - 1))
            }
        }
        _ = bc_wattrset(screen, bc_a_normal())
        if let cursor = frame.cursor {
            curs_set(1)
            wmove(screen, Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wnoutrefresh(screen)
        doupdate()
        previous = grid
    }

    /// Gives the terminal back (leaves curses mode). Safe to call again.
    public func restore() {
        guard active else { return }
        active = false
        endwin()
    }

    // MARK: Keys and styles

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_ENTER: .enter
        case KEY_RESIZE: .resize
        case bc_key_f(1)...bc_key_f(12): .function(Int(code - bc_key_f(0)))
        default: nil
        }
    }

    private func attributes(_ style: CellStyle) -> Int32 {
        var attrs = Self.emphasis(style, colors: colors)
        if colors { attrs |= bc_color_pair(Int32(style.rawValue) + 1) }
        return attrs
    }

    static func colorPair(_ style: CellStyle) -> (Int16, Int16) {
        let d: Int16 = -1
        return switch style {
        case .normal, .result, .hint, .dim: (d, d)
        case .border: (Int16(COLOR_BLUE), d)
        case .title: (Int16(COLOR_CYAN), d)
        case .command: (Int16(COLOR_CYAN), d)
        case .ok, .good: (Int16(COLOR_GREEN), d)
        case .error, .bad, .warning: (Int16(COLOR_RED), d)
        case .urc: (Int16(COLOR_MAGENTA), d)
        case .note: (Int16(COLOR_YELLOW), d)
        case .pending: (Int16(COLOR_BLACK), Int16(COLOR_YELLOW))
        case .hintParameter: (Int16(COLOR_BLACK), Int16(COLOR_CYAN))
        case .key: (Int16(COLOR_BLACK), Int16(COLOR_WHITE))
        case .match: (Int16(COLOR_BLACK), Int16(COLOR_GREEN))
        }
    }

    static func emphasis(_ style: CellStyle, colors: Bool) -> Int32 {
        switch style {
        case .title, .command, .error, .good, .bad, .urc: bc_a_bold()
        case .dim, .hint: bc_a_dim()
        case .pending, .hintParameter, .key, .match: colors ? bc_a_normal() : bc_a_reverse()
        case .warning: colors ? bc_a_bold() : bc_a_underline()
        default: bc_a_normal()
        }
    }

    // MARK: Crashes

    /// A trap or fatal signal still gives the terminal back: the handler leaves curses mode,
    /// then lets the signal do what it would have done.
    private static func installCrashHandlers() {
        for signal in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                endwin()
                Glibc.signal(signal, SIG_DFL)
                raise(signal)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            sigaction(signal, &action, nil)
        }
    }
}

@available(*, unavailable)
extension CursesTerminal: Sendable {}
