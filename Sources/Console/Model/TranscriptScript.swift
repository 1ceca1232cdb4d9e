import CoAP

/// The session log written as an `.at` script that `bc260 run` replays (see
/// `examples/README.md`): the lines sent, the module's answers and URCs as expected lines, the
/// console's notes as comments.
///
/// Contract:
/// - A server request's message id becomes a capture (`{mid}`, `{mid2}`, ...) in its URC, and
///   the same id as the first parameter of a later answer command is sent as that capture, so
///   the replay answers whatever id the module picks then. A report id
///   (`+QLAURC: "report",<id>`) is captured the same way and compared in its `"report_ack"`.
/// - Lines the module printed before the first command (the power-up banner) are optional.
/// - An expected line that took longer than ``slowAfterMilliseconds`` after the command before
///   it waits twice that long plus 10 s (`wait Ns for ...`), so a slow registration still holds.
/// - Braces are escaped, and a line that would read as a directive is written with `<`.
/// - Lines dropped by the log cap are missing; a comment at the top says how many.
/// Known limits: a PSK is masked in the log, so its command is replayed masked; a line ending
/// in `\` or holding ` //` outside quotes does not survive the script syntax.
public enum TranscriptScript {
    public static let slowAfterMilliseconds: Int64 = 8_000

    public static func text(of log: SessionLog) -> String {
        var out = ["# A bc260 console session as a script: `bc260 run FILE.at` replays it."]
        if log.droppedCount > 0 { out.append("# The first \(log.droppedCount) lines were dropped by the log cap.") }
        var captures = Captures()
        var sentAny = false
        var lastCommandAt = Instant.zero
        for index in 0..<log.count {
            let entry = log[index]
            switch entry.kind {
            case .note:
                out.append("# " + entry.text)
            case .command:
                sentAny = true
                lastCommandAt = entry.at
                let line = captures.send(entry.text)
                out.append(line.prefix(2).uppercased() == "AT" ? line : "> " + line)
            case .error where entry.text.hasPrefix("("):
                // The console's own description of a line it could not show.
                out.append("# " + entry.text)
            case .ok, .error, .result, .urc:
                let pattern = captures.expect(entry)
                if !sentAny {
                    out.append("? " + pattern)
                } else if entry.at - lastCommandAt > slowAfterMilliseconds {
                    let seconds = 2 * (entry.at - lastCommandAt) / 1000 + 10
                    out.append("wait \(seconds)s for " + pattern)
                } else {
                    out.append(needsMark(pattern) ? "< " + pattern : pattern)
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// An expected line that the parser would read as something else.
    static func needsMark(_ line: String) -> Bool {
        line.prefix(2).uppercased() == "AT" || ["<", ">", "?", "#"].contains { line.hasPrefix($0) }
            || line == "wait" || line.hasPrefix("wait ") || line == "timeout" || line.hasPrefix("timeout ")
    }

    /// Literal text as script text: every `{` escaped.
    static func literal(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "{" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// The ids seen so far and the names they were captured under.
    struct Captures {
        var messageIDs: [String: String] = [:]
        var reports: [String: String] = [:]
        var counts: [String: Int] = [:]

        /// `mid`, then `mid2`, `mid3`, ... (each id keeps its own name, so answers given out
        /// of order still find theirs).
        mutating func name(_ base: String) -> String {
            let count = (counts[base] ?? 0) + 1
            counts[base] = count
            return count == 1 ? base : base + String(count)
        }

        /// A sent line: a known message id as the first parameter of an answer command becomes
        /// its capture.
        func send(_ text: String) -> String {
            guard let equals = text.firstIndex(of: "=") else { return literal(text) }
            let head = String(text[...equals])
            // Only the answer commands (AT+QLARDRSP, ...WRRSP, ...EXERSP, ...OBSRSP) carry a message id.
            guard head.uppercased().hasSuffix("RSP=") else { return literal(text) }
            let fields = Self.fields(String(text[text.index(after: equals)...]))
            guard let first = fields.first, let name = messageIDs[first.trimmingSpaces] else { return literal(text) }
            return literal(head) + "{\(name)}" + (fields.count > 1 ? "," + fields.dropFirst().map(literal).joined(separator: ",") : "")
        }

        /// An expected line: a request's message id, or a report id, becomes a capture.
        mutating func expect(_ entry: LogEntry) -> String {
            guard entry.kind == .urc, let colon = entry.text.range(of: ": ") else { return literal(entry.text) }
            let head = String(entry.text[..<colon.upperBound])
            var fields = Self.fields(String(entry.text[colon.upperBound...])).map(literal)
            if let id = entry.messageID, let i = fields.firstIndex(of: String(id)) {
                let capture = name("mid")
                messageIDs[String(id)] = capture
                fields[i] = "{\(capture)}"
            } else if fields.count == 2, fields[0] == "\"report\"" {
                let capture = name("report")
                reports[fields[1]] = capture
                fields[1] = "{\(capture)}"
            } else if fields.count == 3, fields[0] == "\"report_ack\"", let known = reports[fields[2]] {
                fields[2] = "{=\(known)}"
            }
            return literal(head) + fields.joined(separator: ",")
        }

        /// Comma-separated fields, commas inside double quotes kept.
        static func fields(_ text: String) -> [String] {
            var fields: [String] = []
            var current = ""
            var quoted = false
            for c in text {
                if c == "\"" { quoted.toggle() }
                if c == ",", !quoted {
                    fields.append(current)
                    current = ""
                } else {
                    current.append(c)
                }
            }
            fields.append(current)
            return fields
        }
    }
}
