import CoAP

/// Which of the application note's chapter 4 platforms an embedded server plays, and where the
/// note puts it. The profile decides what the platform does on its own after a device registers
/// (see `PlatformMachine`); `generic` does nothing on its own and only answers.
public enum PlatformProfile: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// China Telecom IoT (4.2.2): endpoint = IMEI, observes /19/0/0 at once.
    case ctIoT = "ct"
    /// China Telecom AEP / CTWing (4.3.2): endpoint `urn:imei-imsi:<IMEI>-<IMSI>`, observes /19/0/0.
    case ctAEP = "aep"
    /// China Mobile Andlink (4.4.2): bootstrap, then reads /19/1/0, writes JSON text to it, takes Send.
    case andlink
    /// A plain LwM2M server: registration, Send, and whatever a person asks for.
    case generic

    /// The name used on the command line and in log lines' prefix (`ct`, `aep`, `andlink`, `generic`).
    public var name: String { rawValue }

    public init?(name: String) { self.init(rawValue: name.lowercased()) }

    /// The title a person reads.
    public var title: String {
        switch self {
        case .ctIoT: "CT IoT"
        case .ctAEP: "CT AEP"
        case .andlink: "CM Andlink"
        case .generic: "LwM2M server"
        }
    }

    public var description: String { title }

    /// The server address of the note's example (`AT+QLACONFIG`); nil for `generic`. For
    /// Andlink it is the bootstrap server, which also hosts the working server it hands out.
    public var noteAddress: PeerAddress? {
        switch self {
        case .ctIoT: PeerAddress(host: "180.101.147.115", port: 5683)
        case .ctAEP: PeerAddress(host: "221.229.214.202", port: 5683)
        case .andlink: PeerAddress(host: "lwm.home.komect.com", port: 5683)
        case .generic: nil
        }
    }

    /// The `AT+QLACFG="platform"` number the module uses for this platform (none for generic).
    public var moduleSetting: Int? {
        switch self {
        case .ctIoT: 0
        case .ctAEP: 1
        case .andlink: 2
        case .generic: nil
        }
    }

    /// Why a Register from `endpoint` is refused, or nil when this platform takes it. Only AEP
    /// checks: it knows a device by IMEI and IMSI together.
    public func endpointProblem(_ endpoint: String) -> String? {
        guard self == .ctAEP, AEPEndpointName(parsing: endpoint) == nil else { return nil }
        return "AEP endpoint must be urn:imei-imsi:<IMEI 15 digits>-<IMSI 15 digits>, not \(endpoint)"
    }
}
