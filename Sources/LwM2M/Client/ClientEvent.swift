import CoAP

/// What an LwM2M client tells its owner (the module's status machine, a log pane): each
/// protocol milestone, and each failure with its cause.
public enum ClientEvent: Hashable, Sendable {
    case bootstrapRequested(PeerAddress)
    case bootstrapFinished(server: PeerAddress)
    case bootstrapFailed(FailureCause)
    case registered(location: [String])
    case registrationFailed(FailureCause)
    /// The Update carried by `token` was answered with success. Each Update has its own
    /// token, so an owner that asked for several can tell which one this was.
    case updated(token: Token)
    case updateFailed(FailureCause, token: Token)
    /// An Update answered 4.04: the server no longer knows this client; it must register again.
    case registrationLost
    case deregistered
    case deregistrationFailed(FailureCause)
    /// A server request was served; `code` is the answer sent.
    case served(ServedRequest)
    case observationStarted(LwM2MPath, token: Token)
    case observationCancelled(LwM2MPath, reason: String)
    case notificationSent(LwM2MPath, sequence: UInt32, confirmable: Bool)
    case notificationAcknowledged(LwM2MPath)
    /// Queue mode: a notification fell due while asleep and waits for the next wake.
    case notificationQueued(LwM2MPath)
    case sendCompleted(token: Token)
    case sendFailed(token: Token, FailureCause)
    /// Queue mode: the awake window closed.
    case sleeping
    case wakingUp
    /// A server request arrived while asleep; a sleeping module would never have seen it.
    case droppedWhileAsleep(Message)
    /// A server Execute on a resource; the owner carries it out (reboot, firmware update...).
    case executeRequested(LwM2MPath, arguments: [UInt8])
    /// A request on an owner-answered object (`ClientConfiguration.ownerAnsweredObjects`): it
    /// waits unanswered until the owner calls `answer(heldRequest:code:content:now:)`.
    case heldForOwner(HeldRequest)
}

/// One served server request, for logs and for the module's URCs.
public struct ServedRequest: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case read, discover, write, writeAttributes, execute, create, delete, observe, cancelObservation
        case bootstrapWrite, bootstrapDelete, bootstrapDiscover, bootstrapFinish
    }
    public var kind: Kind
    public var path: String
    public var code: Code
    public var messageID: UInt16

    public var description: String { "\(kind.rawValue) \(path) → \(code)" }
}
