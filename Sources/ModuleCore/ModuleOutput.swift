/// What one call into the engine produced, in the order it happened.
public struct ModuleOutput: Hashable, Sendable {
    /// Bytes for the AT link: echo, `\r\n`-framed response lines and URCs.
    public var bytes: [UInt8] = []
    /// Requests for the LwM2M session, in order.
    public var sessionRequests: [SessionRequest] = []
    /// The saved part of the state changed: write it (the last value wins).
    public var stateToSave: ModuleState?
    /// Why a line was answered `ERROR`, why an event was ignored: for a log pane, never sent on
    /// the AT link.
    public var diagnostics: [String] = []

    public init() {}

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public var isEmpty: Bool { bytes.isEmpty && sessionRequests.isEmpty && stateToSave == nil && diagnostics.isEmpty }

    /// Appends what `other` produced after this.
    public mutating func append(_ other: ModuleOutput) {
        bytes += other.bytes
        sessionRequests += other.sessionRequests
        if let state = other.stateToSave { stateToSave = state }
        diagnostics += other.diagnostics
    }
}
