import ATProtocol
import LwM2M

/// Something the LwM2M session reports to the module engine: the outcome of a request, or
/// something the server did. The engine turns each into result lines, URCs and status changes.
public enum SessionEvent: Hashable, Sendable {
    /// How a request the engine issued went (see ``SessionRequest`` for which outcomes each
    /// action expects).
    case outcome(SessionRequestID, SessionOutcome)
    /// Bootstrap is over and handed out this working server: `+QLAURC: "bs_finished"`; the
    /// working server is saved (the bootstrap server never is).
    case bootstrapFinished(ServerConfiguration)
    /// The server read, observed, wrote or executed something: a `+QLAURC` for the TE to answer.
    case serverRequest(ServerRequest)
    /// The server changed the lifetime (a write to /1/x/1): `+QLAURC: "lifetime_changed",<L>`.
    case lifetimeChanged(Int64)
    /// The server changed the binding (/1/x/7): `+QLAURC: "binding_changed",U|UQ`.
    case bindingChanged(ServerConfiguration.Binding)
    /// An Update the engine did not ask for succeeded (the server executed /1/x/8
    /// Registration Update Trigger, or changed the lifetime or binding, and the client told it):
    /// the registration is refreshed, so the automatic update is due an interval from now.
    /// Prints nothing.
    case registrationUpdated
    /// The server answered a message with RST: `+QLAURC: "lw_event",0,5,<messageID>`.
    case resetReceived(messageID: UInt16)
    /// A CON notification the TE sent NON (made CON by the daily rule, RFC 7641 §4.5) was never
    /// acknowledged: `+QLAURC: "report_ack",1,<messageID>`, as for a CON the TE asked for; the
    /// observation ends (`observationCancelled` follows).
    case notificationTimedOut(messageID: UInt16)
    /// An observation ended without an observe URC (RST on a notification, the server forgot
    /// it): later AT+QLANOTIFY on it answer ERROR. Prints nothing.
    case observationCancelled(LwM2MPath)
}

public enum SessionOutcome: Hashable, Sendable {
    /// The exchange ended. `messageID` is the CoAP message id when the result line carries one
    /// (AT+QLAUPDATE, AT+QLASENDDATA).
    case completed(ResultCode, messageID: UInt16?)
    /// A CON notification went out (`+QLAURC: "report",<messageID>`).
    case sent(messageID: UInt16)
    /// The server acknowledged a CON notification or send
    /// (`"report_ack"` / `"send_ack"`, `<result_code>,<messageID>`).
    case acknowledged(ResultCode, messageID: UInt16)

    public static func completed(_ code: ResultCode) -> SessionOutcome { .completed(code, messageID: nil) }
}

/// A request from the server that the TE answers.
public enum ServerRequest: Hashable, Sendable {
    /// `+QLAURC: "read",<mid>,<obj>,<inst>,<res>[,<URI_query>]`; answered with AT+QLARDRSP.
    case read(messageID: UInt16, path: LwM2MPath, uriQuery: String?)
    /// `+QLAURC: "observe",<mid>,<flag>,...`; flag 1 when `cancel`. Answered with AT+QLAOBSRSP
    /// (or by the module itself when auto_ack is 1).
    case observe(messageID: UInt16, path: LwM2MPath, cancel: Bool)
    /// One `+QLAURC: "write"` per part, index N-1 down to 0; answered with AT+QLAWRRSP.
    /// `path` is what the server wrote (a resource or an instance); the parts are resources.
    case write(messageID: UInt16, path: LwM2MPath, parts: [ValuePart])
    /// `+QLAURC: "execute",...`; answered with AT+QLAEXERSP.
    case execute(messageID: UInt16, path: LwM2MPath)

    public var messageID: UInt16 {
        switch self {
        case .read(let id, _, _), .observe(let id, _, _), .write(let id, _, _), .execute(let id, _): id
        }
    }

    public var path: LwM2MPath {
        switch self {
        case .read(_, let path, _), .observe(_, let path, _), .write(_, let path, _), .execute(_, let path): path
        }
    }

    public var operation: ServerOperation {
        switch self {
        case .read: .read
        case .observe: .observe
        case .write: .write
        case .execute: .execute
        }
    }
}
