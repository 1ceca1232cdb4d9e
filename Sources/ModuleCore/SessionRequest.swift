import ATProtocol
import LwM2M

/// Names one request the engine gave the LwM2M session; every ``SessionOutcome`` quotes it.
public struct SessionRequestID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    public static func < (a: SessionRequestID, b: SessionRequestID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "#\(rawValue)" }
}

/// Something the module engine asks of the LwM2M session (the network side). The engine has
/// already checked the parameters and the state; the session carries the request out and
/// reports back with ``SessionEvent/outcome(_:_:)`` quoting `id`.
///
/// Which outcomes each action expects (anything else is ignored, with a diagnostic):
/// - `register`: a session configured for bootstrap first reports ``SessionEvent/bootstrapFinished(_:)``;
///   then `.completed(code)` ends it (`+QLAREG: <code>`).
/// - `update`: `.completed(code, messageID:)` (`+QLAUPDATE: <code>,<mid>`, or `+QLAURC: "ping",<code>`
///   for the engine's automatic update).
/// - `deregister`, `updateObjects`, `respond`, `resume`: `.completed(code)`.
/// - `notify`: NON: `.completed(code)`. CON: `.sent(messageID:)` when it goes out, `.completed(code)`,
///   later `.acknowledged(code, messageID:)`.
/// - `send`: `.completed(code, messageID:)`; CON also `.acknowledged(code, messageID:)` later.
/// - `suspend`, `discard`: nothing. After `discard` the session is gone; a later `register`
///   starts a new one (a `register` also replaces a session that was never discarded).
public struct SessionRequest: Hashable, Sendable {
    public let id: SessionRequestID
    public let action: SessionAction

    public init(id: SessionRequestID, action: SessionAction) {
        self.id = id
        self.action = action
    }
}

public enum SessionAction: Hashable, Sendable {
    /// AT+QLAREG: register with this configuration (bootstrap first when it says so).
    case register(SessionConfiguration)
    /// A registration Update: AT+QLAUPDATE (a new lifetime or binding) or the engine's automatic
    /// update (both nil: refresh the registration as it is).
    case update(lifetime: Int64?, binding: ServerConfiguration.Binding?, rai: ReleaseAssistance)
    case deregister
    /// AT+QLAADDOBJ / AT+QLADELOBJ while registered: send an Update carrying the new object links.
    case updateObjects(ObjectTree)
    /// The answer to a server request (AT+QLARDRSP/OBSRSP/WRRSP/EXERSP, or the module's own
    /// answer to an observe when auto_ack is 1).
    case respond(ServerResponse)
    /// AT+QLANOTIFY: a notification on an observation.
    case notify(Notification)
    /// AT+QLASENDDATA: the TE's bytes, unchanged, to the server (Andlink).
    case send(DataSend)
    /// The module falls into deep sleep with a registration up: stop every timer and drop what
    /// arrives until `resume` (a sleeping module hears nothing). No outcome.
    case suspend
    /// Woken from deep sleep with a registration that may still hold: resume the session (the
    /// engine expects a registration Update, so success refreshes the lifetime).
    case resume
    /// Forget the session without a message to the server: AT+QRST, or a registration whose
    /// lifetime ran out during deep sleep.
    case discard
}

/// `<rai_mode>`: the release assistance indication carried with an uplink message.
public enum ReleaseAssistance: Int64, Hashable, Sendable {
    case none = 0
    /// No further uplink or downlink expected: the network may release at once.
    case releaseAfterUplink = 1
    /// One downlink reply expected: the network releases after it.
    case releaseAfterReply = 2
}

/// Everything the session needs to register.
public struct SessionConfiguration: Hashable, Sendable {
    public var server: ServerConfiguration
    /// `server` is a bootstrap server: bootstrap first, then register with the working server it
    /// hands out.
    public var bootstrap: Bool
    public var platform: RegistrationOptions.Platform
    /// Retransmission: the n-th wait is `ackTimeout * 2^(n-1)` seconds, at most
    /// `maximumRetransmissions` retransmissions, then the exchange ends with result 1.
    public var ackTimeoutSeconds: Int64
    public var maximumRetransmissions: Int64
    public var dtlsMode: Int64
    public var dtlsVersion: Int64
    /// Objects 0, 1, 3, 4, 5 (with the `cfg_res` values) and the custom objects, without values.
    public var objects: ObjectTree

    public init(server: ServerConfiguration, bootstrap: Bool, platform: RegistrationOptions.Platform,
                ackTimeoutSeconds: Int64, maximumRetransmissions: Int64, dtlsMode: Int64, dtlsVersion: Int64,
                objects: ObjectTree) {
        self.server = server
        self.bootstrap = bootstrap
        self.platform = platform
        self.ackTimeoutSeconds = ackTimeoutSeconds
        self.maximumRetransmissions = maximumRetransmissions
        self.dtlsMode = dtlsMode
        self.dtlsVersion = dtlsVersion
        self.objects = objects
    }
}

/// One value of a multi-part answer, notification or write: `<objectID>,<instantID>,<resourceID>`
/// and `<value_type>,<len>,<value>`.
public struct ValuePart: Hashable, Sendable {
    /// A resource path.
    public var path: LwM2MPath
    public var value: ATTypedValue

    public init(path: LwM2MPath, value: ATTypedValue) {
        self.path = path
        self.value = value
    }
}

/// The kinds of server request the TE answers.
public enum ServerOperation: String, Hashable, Sendable {
    case read, observe, write, execute
}

/// The TE's (or the module's) answer to a server request.
public struct ServerResponse: Hashable, Sendable {
    public var messageID: UInt16
    public var operation: ServerOperation
    /// The path the request named.
    public var path: LwM2MPath
    /// Sent as the CoAP code ``RequestResult/coapCode``.
    public var result: RequestResult
    /// For read and observe: the parts in the order the TE gave them (index N-1 first); empty for
    /// write, execute, and the module's automatic observe answer (2.05 with no value).
    public var parts: [ValuePart]
    public var rai: ReleaseAssistance

    public init(messageID: UInt16, operation: ServerOperation, path: LwM2MPath, result: RequestResult,
                parts: [ValuePart] = [], rai: ReleaseAssistance = .none) {
        self.messageID = messageID
        self.operation = operation
        self.path = path
        self.result = result
        self.parts = parts
        self.rai = rai
    }
}

/// A notification the TE sends with AT+QLANOTIFY.
public struct Notification: Hashable, Sendable {
    /// The observed path the notification belongs to (the most specific one covering the parts).
    public var observedPath: LwM2MPath
    /// In the order the TE gave them (index N-1 first).
    public var parts: [ValuePart]
    /// ACK 1: CON, else NON.
    public var confirmable: Bool
    public var rai: ReleaseAssistance

    public init(observedPath: LwM2MPath, parts: [ValuePart], confirmable: Bool, rai: ReleaseAssistance = .none) {
        self.observedPath = observedPath
        self.parts = parts
        self.confirmable = confirmable
        self.rai = rai
    }
}

/// Data the TE sends with AT+QLASENDDATA.
public struct DataSend: Hashable, Sendable {
    /// A string or opaque value, as typed.
    public var payload: ATTypedValue
    public var confirmable: Bool
    public var rai: ReleaseAssistance

    public init(payload: ATTypedValue, confirmable: Bool, rai: ReleaseAssistance = .none) {
        self.payload = payload
        self.confirmable = confirmable
        self.rai = rai
    }

    /// The bytes to send unchanged: a string's UTF-8, or the opaque bytes.
    public var bytes: [UInt8] {
        switch payload {
        case .string(let text): Array(text.utf8)
        case .opaque(let bytes): bytes
        default: []
        }
    }
}
