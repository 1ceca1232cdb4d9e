import CoAP

extension LwM2MClient {
    /// Answers one server request against the object tree (LwM2M 1.0 §5.4, Table 21 for the
    /// codes). During bootstrap, the bootstrap server's requests run with bootstrap access.
    mutating func serve(_ request: Message, from peer: PeerAddress, now: Instant) -> [Action] {
        let fromBootstrap = status == .bootstrapping && peer == configuration.bootstrapServer
        if fromBootstrap && request.uriPath == ["bs"] && request.code == .post {
            return bootstrapFinished(request, from: peer, now: now)
        }
        // Only the server registered with (or the bootstrap server, while bootstrapping) may
        // act on the objects; LwM2M 1.0 access control reduced to its single-server case.
        guard fromBootstrap || peer == server || configuration.servesAnyPeer else {
            return refuse(request, .unauthorized, "\(peer) is not this client's server", peer)
        }
        guard let path = LwM2MPath(segments: request.uriPath) else {
            return refuse(request, .notFound, "no such path \(request.path)", peer)
        }
        if !fromBootstrap, let held = holdForOwner(request, path: path, from: peer) { return held }
        let access: ObjectTree.Access = fromBootstrap ? .bootstrap : .server
        let format = request.contentFormat.flatMap(ContentFormat.init(coapValue:))
        let accept = request.accept.flatMap(ContentFormat.init(coapValue:))
        do throws(OperationError) {
            switch request.code {
            case .get:
                if accept == .linkFormat {
                    let links = try objects.discover(path, access: access)
                    let kind: ServedRequest.Kind = fromBootstrap ? .bootstrapDiscover : .discover
                    return respond(request, .content, kind, peer, path: path,
                                   contentFormat: .linkFormat, payload: LinkFormat.encodeBytes(links))
                }
                // LwM2M 1.0 gives the bootstrap server Discover, not Read (Bootstrap-Read is 1.1).
                if fromBootstrap && configuration.lwm2mVersion == "1.0" { throw OperationError.methodNotAllowed(path) }
                if request.observe == 0 && !fromBootstrap {
                    let (response, actions) = startObservation(request, path: path, accept: accept, from: peer, now: now)
                    return [.send(response, to: peer), served(.observe, path, response)] + actions
                }
                var actions: [Action] = []
                if request.observe == 1 {
                    actions = cancelObservation(ObserveRelation.Key(peer: peer, token: request.token),
                                                reason: "cancelled by server")
                }
                let content = try objects.read(path, accept: accept, access: access)
                return respond(request, .content, request.observe == 1 ? .cancelObservation : .read, peer,
                               path: path, contentFormat: content.format, payload: content.bytes) + actions
            case .put where !request.uriQuery.isEmpty && request.payload.isEmpty && !fromBootstrap:
                try objects.writeAttributes(path, query: request.uriQuery)
                return respond(request, .changed, .writeAttributes, peer, path: path) + evaluateObservations(now: now)
            case .put:
                try objects.write(path, EncodedContent(format: format ?? .textPlain, bytes: request.payload),
                                  mode: .replace, access: access)
                return respond(request, .changed, fromBootstrap ? .bootstrapWrite : .write, peer, path: path)
                    + afterServerChange(path, now: now)
            case .post where fromBootstrap:
                throw OperationError.methodNotAllowed(path)
            case .post where path.instanceID == nil:
                let content = request.payload.isEmpty ? nil
                    : EncodedContent(format: format ?? .tlv, bytes: request.payload)
                let created = try objects.create(in: path.objectID ?? 0, content, access: access)
                var response = Message.response(to: request, .created)
                response.locationPath = created.segments
                linksChanged = true
                return [.send(response, to: peer), served(.create, path, response)] + afterServerChange(created, now: now)
            case .post where path.resourceID == nil:
                try objects.write(path, EncodedContent(format: format ?? .tlv, bytes: request.payload),
                                  mode: .partialUpdate, access: access)
                return respond(request, .changed, .write, peer, path: path) + afterServerChange(path, now: now)
            case .post:
                try objects.checkExecute(path)
                var actions = respond(request, .changed, .execute, peer, path: path)
                    + [.event(.executeRequested(path, arguments: request.payload))]
                // /1/x/8 Registration Update Trigger: the client MUST Update (LwM2M 1.0 E.2).
                if path.objectID == 1, path.resourceID == 8, status == .registered { actions += sendUpdate(now: now) }
                return actions
            case .delete:
                try objects.delete(path, access: access)
                if !fromBootstrap { linksChanged = true }
                return respond(request, .deleted, fromBootstrap ? .bootstrapDelete : .delete, peer, path: path)
                    + afterServerChange(path, now: now)
            default:
                throw OperationError.methodNotAllowed(path)
            }
        } catch {
            return refuse(request, error.code, error.description, peer)
        }
    }

    /// After a server changed the tree: observations may fire, and a changed lifetime,
    /// binding or set of objects is told to the server with an Update.
    mutating func afterServerChange(_ path: LwM2MPath, now: Instant) -> [Action] {
        guard status == .registered else { return [] }
        var actions = evaluateObservations(now: now)
        if linksChanged || lifetime != registeredLifetime || binding != registeredBinding {
            actions += sendUpdate(now: now)
        }
        return actions
    }

    func respond(_ request: Message, _ code: Code, _ kind: ServedRequest.Kind, _ peer: PeerAddress,
                         path: LwM2MPath, contentFormat: ContentFormat? = nil,
                         payload: [UInt8] = []) -> [Action] {
        let response = Message.response(to: request, code, contentFormat: contentFormat.map { UInt32($0.rawValue) },
                                         payload: payload)
        return [.send(response, to: peer), served(kind, path, response)]
    }

    /// An error answer; the reason goes in the payload as diagnostic text (RFC 7252 §5.5.2).
    func refuse(_ request: Message, _ code: Code, _ reason: String, _ peer: PeerAddress) -> [Action] {
        let response = Message.response(to: request, code, payload: Array(reason.utf8))
        return [.send(response, to: peer),
                .event(.served(ServedRequest(kind: Self.kind(of: request), path: request.path, code: code,
                                             messageID: request.messageID)))]
    }

    func served(_ kind: ServedRequest.Kind, _ path: LwM2MPath, _ response: Message) -> Action {
        .event(.served(ServedRequest(kind: kind, path: path.description, code: response.code,
                                     messageID: response.messageID)))
    }

    /// The operation a request asked for, to label refused requests.
    static func kind(of request: Message) -> ServedRequest.Kind {
        switch request.code {
        case .get: request.accept == 40 ? .discover : (request.observe == 0 ? .observe : .read)
        case .put: request.payload.isEmpty && !request.uriQuery.isEmpty ? .writeAttributes : .write
        case .post: request.uriPath.count <= 1 ? .create : (request.uriPath.count == 2 ? .write : .execute)
        case .delete: .delete
        default: .read
        }
    }
}
