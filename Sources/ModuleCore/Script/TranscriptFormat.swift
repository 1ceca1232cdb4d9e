import CoAP

/// Renders transcript entries as the lines `bc260 run` prints:
/// `[  12.345] > AT+QLAREG`, `[  12.350] < OK`, `[  12.350] < AT+QLAREG  (echo)`.
public enum TranscriptFormat {
    /// The printed line for an entry, or nil for entries shown only with `verbose`
    /// (matches and pauses).
    public static func line(_ entry: TranscriptEntry, verbose: Bool = false) -> String? {
        let stamp = timestamp(entry.time)
        let place = entry.location.map { "  [\($0)]" } ?? ""
        switch entry.kind {
        case .sent(let text): return "\(stamp) > \(text)"
        case .received(let text): return "\(stamp) < \(text)"
        case .echo(let text): return "\(stamp) < \(text)  (echo)"
        case .matched(let text): return verbose ? "\(stamp)   ✓ \(text)\(place)" : nil
        case .paused(let milliseconds): return verbose ? "\(stamp)   wait \(ScriptDuration.format(milliseconds: milliseconds))\(place)" : nil
        case .passed: return "\(stamp) PASS"
        case .failed(let failure): return "\(stamp) FAIL \(failure)"
        }
    }

    /// `[  12.345]`: seconds with milliseconds, right-aligned.
    public static func timestamp(_ time: Instant) -> String {
        let milliseconds = time.milliseconds
        let sign = milliseconds < 0 ? "-" : ""
        let magnitude = milliseconds.magnitude
        let fraction = String(magnitude % 1000)
        let text = sign + String(magnitude / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
        return "[" + String(repeating: " ", count: max(0, 8 - text.count)) + text + "]"
    }
}
