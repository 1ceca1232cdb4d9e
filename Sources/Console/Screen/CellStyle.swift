/// What a cell shows, by meaning rather than by colour: a driver maps each class to colours
/// (or to bold/reverse when colours are off), a test reads it back.
public enum CellStyle: UInt8, Hashable, Sendable, CaseIterable {
    case normal
    case border
    /// A pane's title in its top border.
    case title
    case command
    case ok
    case error
    case result
    case urc
    case note
    /// A server request still waiting for its answer.
    case pending
    /// The live hint under the prompt.
    case hint
    /// The parameter being typed, inside the hint.
    case hintParameter
    /// The line would be rejected.
    case warning
    /// Timestamps, labels and other quiet text.
    case dim
    /// Key names in the help bar.
    case key
    /// A good state (registered, connected).
    case good
    /// A bad state (timeout, lost link).
    case bad
    /// A search match in the log.
    case match
}
