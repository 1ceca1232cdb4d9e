import CoAP

/// One line of the session log: what crossed the AT link (or what the console itself said),
/// when, and what kind of line it is.
public struct LogEntry: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// A command line the terminal sent.
        case command
        case ok
        /// `ERROR`, `+CME ERROR: n`, or a line the link could not read.
        case error
        /// An information line answering a command, a `+QLAxxx: <result_code>` line, or other
        /// module text (`RDY`).
        case result
        /// An unsolicited result code (`+QLAURC`, `+QNBIOEVENT`).
        case urc
        /// The console's own note (link connected, a line rejected before sending).
        case note
    }

    /// Position in the whole session, counting entries already dropped by the cap.
    public let sequence: Int
    public let at: Instant
    public let kind: Kind
    /// The line as shown: a PSK in it is masked.
    public let text: String
    /// For a server request URC: its message id (the log marks it while it is pending).
    public let messageID: Int64?

    public init(sequence: Int, at: Instant, kind: Kind, text: String, messageID: Int64? = nil) {
        self.sequence = sequence
        self.at = at
        self.kind = kind
        self.text = text
        self.messageID = messageID
    }
}
