import CoAP

/// The LwM2M side of one Observe relation the client serves (LwM2M 1.0 §5.5.1). The relation
/// itself (peer, token, the registering GET, the Observe sequence, the message ids an RST or a
/// timeout may name, the daily-CON clock) lives in the client's `ObserverList` under the same
/// key; this record adds what LwM2M needs on top: the observed path, the format asked for and
/// the timing state that applies the notification attributes.
struct ClientObservation: Hashable, Sendable {
    /// Creation order, so that notifications flushed together go out in a stable order.
    var id: Int
    var path: LwM2MPath
    var accept: ContentFormat?
    var state: ObservationState
    /// Fell due while asleep; notify on the next wake.
    var owed = false
    /// Started by the owner's answer to a held Observe: the owner decides when to notify and
    /// with what (the tree has no value for it), so the attributes never fire it.
    var ownerDriven = false
}
