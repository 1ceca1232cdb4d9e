import CoAP

/// What one call into a ``ModuleDevice`` produced, in order: bytes for the AT link, datagrams
/// for the network, the saved state to write, and diagnostics for a log pane.
public struct DeviceOutput: Hashable, Sendable {
    /// Echo, `\r\n`-framed responses and URCs.
    public var bytes: [UInt8] = []
    public var datagrams: [Datagram] = []
    /// The saved part of the state changed: write it (the last value wins).
    public var stateToSave: ModuleState?
    public var diagnostics: [String] = []

    public init() {}

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public var isEmpty: Bool { bytes.isEmpty && datagrams.isEmpty && stateToSave == nil && diagnostics.isEmpty }
}
