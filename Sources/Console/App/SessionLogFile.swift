#if canImport(Glibc)
import Glibc
#endif

/// `--log FILE`: the session as timestamped plain text, appended line by line as it happens,
/// so the file is complete up to the last line even when the console is killed.
///
/// Contract: each log entry is written once, in order, as `HH:MM:SS.mmm <mark> <text>` (the
/// marks of the log pane: `>` sent, `<` answer, `*` URC, `#` console note); entries the cap
/// dropped before they could be written are counted in a line saying so. The file is opened
/// for appending, so runs follow each other in it.
public final class SessionLogFile {
    private let file: UnsafeMutablePointer<FILE>
    /// Entries of the session log written so far (by `appendedCount`).
    private var written = 0
    private let clockOrigin: Int64

    /// Nil when the file cannot be opened for appending.
    public init?(path: String, clockOrigin: Int64, header: String) {
        guard let file = fopen(path, "a") else { return nil }
        self.file = file
        self.clockOrigin = clockOrigin
        fputs("# " + header + "\n", file)
        fflush(file)
    }

    deinit { fclose(file) }

    /// Writes the entries appended since the last call.
    public func write(_ log: SessionLog) {
        guard log.appendedCount > written else { return }
        let firstHeld = log.appendedCount - log.count
        if written < firstHeld {
            fputs("# (\(firstHeld - written) lines dropped by the log cap before they were written)\n", file)
            written = firstHeld
        }
        for index in (written - firstHeld)..<log.count {
            fputs(Self.line(log[index], clockOrigin: clockOrigin) + "\n", file)
        }
        written = log.appendedCount
        fflush(file)
    }

    /// One entry as a line of the file.
    public static func line(_ entry: LogEntry, clockOrigin: Int64) -> String {
        var display = LogDisplay()
        display.clockOrigin = clockOrigin
        var single = SessionLog(capacity: 1)
        single.append { _ in entry }
        return display.timestamp(single, index: 0) + " " + LogPane.mark(of: entry.kind) + " " + entry.text
    }
}
