import CoAP

/// One Observe relation the client keeps for a server (LwM2M 1.0 §5.5.1): the observed path,
/// the format the server asked for, the token every notification carries, the Observe sequence
/// and the timing state that applies the notification attributes.
struct ClientObservation: Hashable, Sendable {
    /// Creation order, so that notifications flushed together go out in a stable order.
    var id: Int
    var token: Token
    var peer: PeerAddress
    var path: LwM2MPath
    var accept: ContentFormat?
    var state: ObservationState
    var sequence: UInt32
    /// Fell due while asleep; notify on the next wake.
    var owed = false
    /// Started by the owner's answer to a held Observe: the owner decides when to notify and
    /// with what (the tree has no value for it), so the attributes never fire it.
    var ownerDriven = false
}
