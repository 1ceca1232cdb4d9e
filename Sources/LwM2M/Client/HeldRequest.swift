import CoAP

/// A server request the client hands to its owner instead of answering it from the object tree
/// (`ClientConfiguration.ownerAnsweredObjects`): the module's terminal answers reads, writes,
/// executes and observes of the objects it added. It stays unanswered until the owner calls
/// `LwM2MClient.answer(heldRequest:code:content:now:)` quoting `messageID`.
public struct HeldRequest: Hashable, Sendable, CustomStringConvertible {
    public enum Operation: Hashable, Sendable {
        case read
        /// GET with Observe 0: answering it with a success starts the observation.
        case observe
        /// GET with Observe 1: the observation ended when the request arrived.
        case cancelObservation
        /// PUT (`.replace`) or POST on an instance (`.partialUpdate`), with what the server sent.
        case write(EncodedContent, mode: WriteMode)
        case execute(arguments: [UInt8])
    }

    /// The request's CoAP message id, as it came in the datagram.
    public var messageID: UInt16
    public var token: Token
    public var peer: PeerAddress
    public var path: LwM2MPath
    public var operation: Operation
    /// The format the server asked for (Accept), if any.
    public var accept: ContentFormat?
    public var uriQuery: [String]

    public var description: String { "held \(operation) \(path) mid=\(messageID) from \(peer)" }
}
