import CoAP

extension LwM2MClient {
    /// Hands `request` to the owner when it is a Read, Observe, Write or Execute on an
    /// owner-answered object; nil when the tree answers it. An object the client does not have
    /// is answered 4.04 at once, as the tree would.
    mutating func holdForOwner(_ request: Message, path: LwM2MPath, from peer: PeerAddress) -> [Action]? {
        guard let objectID = path.objectID, configuration.ownerAnsweredObjects.contains(objectID) else { return nil }
        let operation: HeldRequest.Operation
        let format = request.contentFormat.flatMap(ContentFormat.init(coapValue:))
        switch request.code {
        case .get where request.accept.flatMap(ContentFormat.init(coapValue:)) == .linkFormat:
            return nil
        case .get where request.observe == 0:
            operation = .observe
        case .get where request.observe == 1:
            operation = .cancelObservation
        case .get:
            operation = .read
        case .put where !request.uriQuery.isEmpty && request.payload.isEmpty:
            return nil
        case .put:
            operation = .write(EncodedContent(format: format ?? .textPlain, bytes: request.payload), mode: .replace)
        case .post where path.instanceID == nil:
            return nil
        case .post where path.resourceID == nil:
            operation = .write(EncodedContent(format: format ?? .tlv, bytes: request.payload), mode: .partialUpdate)
        case .post:
            operation = .execute(arguments: request.payload)
        default:
            return nil
        }
        guard objects.definition(objectID) != nil else {
            return refuse(request, .notFound, "no object \(objectID)", peer)
        }
        var actions: [Action] = []
        if operation == .cancelObservation {
            actions = cancelObservation(ObserveRelation.Key(peer: peer, token: request.token),
                                        reason: "cancelled by server")
        }
        let held = HeldRequest(messageID: request.messageID, token: request.token, peer: peer, path: path,
                               operation: operation, accept: request.accept.flatMap(ContentFormat.init(coapValue:)),
                               uriQuery: request.uriQuery)
        heldForOwner[request.messageID] = (held, request)
        return actions + [.event(.heldForOwner(held))]
    }

    /// Requests handed to the owner and not yet answered, oldest message id first.
    public var heldRequests: [HeldRequest] { heldForOwner.values.map(\.request).sorted { $0.messageID < $1.messageID } }

    /// True while the request `messageID` from `peer` waits for the owner's answer.
    public func isHolding(messageID: UInt16, from peer: PeerAddress) -> Bool {
        heldForOwner[messageID]?.request.peer == peer
    }

    /// The owner's answer to a held request: `code` with `content` (a read or observe's value),
    /// sent as the response to the request `messageID`. A successful answer to an Observe
    /// starts an observation the owner notifies with `notify(_:content:confirmable:now:)`.
    /// Returns nothing when no request with that id is held.
    public mutating func answer(heldRequest messageID: UInt16, code: Code, content: EncodedContent?,
                                now: Instant) -> [Action] {
        guard let (held, request) = heldForOwner.removeValue(forKey: messageID) else { return [] }
        var response = Message.response(to: request, code, contentFormat: content.map { UInt32($0.format.rawValue) },
                                        payload: content?.bytes ?? [])
        var actions: [Action] = []
        if held.operation == .observe {
            let state = ObservationState(schedule: schedule(for: held.path),
                                         initialValue: ObservedValue(content: content?.bytes ?? []), notifiedAt: now)
            (response, actions) = register(request, from: held.peer, answer: response, observing: held.path,
                                           accept: held.accept, state: state, ownerDriven: true, now: now)
        }
        let kind: ServedRequest.Kind = switch held.operation {
        case .read: .read
        case .observe: .observe
        case .cancelObservation: .cancelObservation
        case .write: .write
        case .execute: .execute
        }
        return [.send(response, to: held.peer), served(kind, held.path, response)] + actions
    }

    /// A notification with the owner's `content` on every observation of exactly `path` (the
    /// module's AT+QLANOTIFY), CON when `confirmable` (or when the relation is due its daily
    /// CON, RFC 7641 §4.5). Returns the tokens notified (empty, with no actions, when `path` is
    /// not observed). While asleep the notifications wait for the Update that wakes the client.
    public mutating func notify(_ path: LwM2MPath, content: EncodedContent, confirmable: Bool,
                                now: Instant) -> ([Token], [Action]) {
        let keys = observationKeys.filter { observations[$0]?.path == path }
        var actions: [Action] = []
        for key in keys {
            let con = confirmable || observers.confirmableDue(for: key, now: now)
            guard let m = observers.notification(for: key, contentFormat: UInt32(content.format.rawValue),
                                                 payload: content.bytes, confirmable: con, messageID: nil, now: now)
            else { continue }
            observations[key]?.state.record(ObservedValue(content: content.bytes), at: now)
            if isAsleep {
                heldWhileAsleep.append((m, key.peer))
            } else {
                actions.append(.send(m, to: key.peer))
            }
            actions.append(.event(.notificationSent(path, sequence: m.observe ?? 0, confirmable: con)))
        }
        if isAsleep && !keys.isEmpty { actions += sendUpdate(now: now) }
        return (keys.map(\.token), actions)
    }
}

extension LwM2MClient {
    /// Changes which objects the owner answers (the owner added or removed objects).
    public mutating func setOwnerAnsweredObjects(_ objectIDs: Set<UInt16>) {
        configuration.ownerAnsweredObjects = objectIDs
    }

    /// Replaces the tree's objects outside the Security and Server objects (which keep what
    /// bootstrap and the server wrote); when the links change, an Update with them follows.
    public mutating func replaceObjects(keepingAccountsFrom newTree: ObjectTree, now: Instant) -> [Action] {
        let current = objects
        return modifyObjects(now: now) { tree in
            tree = newTree
            for objectID: UInt16 in [0, 1] {
                for iid in tree.instanceIDs(of: objectID) { _ = tree.removeInstance(objectID, iid) }
                for iid in current.instanceIDs(of: objectID) {
                    if let instance = current.instance(objectID, iid) { try? tree.setInstance(instance, of: objectID) }
                }
            }
        }
    }
}
