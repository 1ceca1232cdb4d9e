import ATProtocol
import CoAP
import LwM2M

extension EmulatedModule {
    mutating func apply(_ event: SessionEvent, now: Instant) {
        switch event {
        case .outcome(let id, let outcome):
            guard let kind = outstanding[id] else {
                out.diagnostics.append("outcome for \(id), which is not outstanding: \(outcome)")
                return
            }
            apply(outcome, of: kind, id: id, now: now)
        case .bootstrapFinished(let server):
            emit(URC.bootstrapFinished)
            configuredServer = .working(server)
            saved.workingServer = server
            save()
        case .serverRequest(let request):
            announce(request)
        case .lifetimeChanged(let lifetime):
            emit(URC.lifetimeChanged(lifetime: lifetime))
            registration?.lifetime = lifetime
            changeWorkingServer(lifetime: lifetime)
        case .bindingChanged(let binding):
            emit(URC.bindingChanged(binding.letters))
            changeWorkingServer(binding: binding)
        case .registrationUpdated:
            refreshRegistration(now: now)
        case .resetReceived(let messageID):
            emit(URC.lwEvent(eventType: 0, eventCode: 5, messageID: Int64(messageID)))
        case .notificationTimedOut(let messageID):
            emit(URC.reportAck(resultCode: ResultCode.timeout.rawValue, messageID: Int64(messageID)))
        case .observationCancelled(let path):
            observations.remove(path)
            if notifyAssembly?.observedPath == path { notifyAssembly = nil }
        }
    }

    private mutating func apply(_ outcome: SessionOutcome, of kind: OutstandingRequest, id: SessionRequestID, now: Instant) {
        switch (kind, outcome) {
        case (.register, .completed(let code, _)):
            outstanding[id] = nil
            emit(.information("QLAREG", .integer(code.rawValue)))
            if code == .success {
                status = .registered
                registration = RegistrationClock(lifetime: configuredServer?.configuration.lifetime ?? 86_400, refreshedAt: now)
            } else {
                status = .unregistered
                registration = nil
            }
        case (.update(let origin), .completed(let code, let messageID)):
            outstanding[id] = nil
            switch origin {
            case .automatic:
                emit(URC.ping(resultCode: code.rawValue))
            case .command:
                emit(.information(name: "QLAUPDATE", values: [.integer(code.rawValue)] + (messageID.map { [.integer(Int64($0))] } ?? [])))
            }
            guard status == .registered || status == .invalid else { return }
            if code == .success {
                refreshRegistration(now: now)
                if case .command(let lifetime, let binding) = origin {
                    if let lifetime { registration?.lifetime = lifetime }
                    changeWorkingServer(lifetime: lifetime, binding: binding)
                }
            } else if code == .notFound {
                // The server no longer knows the registration.
                status = .invalid
            }
        case (.deregister, .completed(let code, _)):
            outstanding[id] = nil
            emit(.information("QLADEREG", .integer(code.rawValue)))
            // Whatever the server said, the client has ended its session.
            status = .deregistered
            registration = nil
            observations = []
            pendingServerRequests = [:]
            notifyAssembly = nil
        case (.updateObjects(let name), .completed(let code, _)):
            outstanding[id] = nil
            emit(.information(name, .integer(code.rawValue)))
            // The new links went in an Update: the registration is refreshed as by any other.
            if code == .success { refreshRegistration(now: now) }
        case (.respond(let name), .completed(let code, _)):
            outstanding[id] = nil
            if let name { emit(.information(name, .integer(code.rawValue))) }
        case (.notify(true), .sent(let messageID)):
            emit(URC.report(messageID: Int64(messageID)))
        case (.notify(let confirmable), .completed(let code, _)):
            if !confirmable || code != .success { outstanding[id] = nil }
            emit(.information("QLANOTIFY", .integer(code.rawValue)))
        case (.notify(true), .acknowledged(let code, let messageID)):
            outstanding[id] = nil
            emit(URC.reportAck(resultCode: code.rawValue, messageID: Int64(messageID)))
        case (.send(let name, let confirmable), .completed(let code, let messageID)):
            if !confirmable || code != .success { outstanding[id] = nil }
            emit(.information(name: name, values: [.integer(code.rawValue)] + (messageID.map { [.integer(Int64($0))] } ?? [])))
        case (.send(_, true), .acknowledged(let code, let messageID)):
            outstanding[id] = nil
            emit(URC.sendAck(resultCode: code.rawValue, messageID: Int64(messageID)))
        case (.resume, .completed(let code, _)):
            outstanding[id] = nil
            recoveryDeadline = nil
            emit(URC.recovered(resultCode: code.rawValue))
            if code == .success {
                status = .registered
                registration?.refreshedAt = now
            } else {
                loseSession()
            }
            answerLinesAwaitingRecovery(now: now)
        default:
            out.diagnostics.append("outcome \(outcome) does not fit request \(id) (\(kind)); ignored")
        }
    }

    /// A successful Update, whoever asked for it: the next automatic one is an update
    /// interval from `now`, and a registration past its lifetime (status 5) is valid again.
    mutating func refreshRegistration(now: Instant) {
        guard status == .registered || status == .invalid else { return }
        status = .registered
        registration?.refreshedAt = now
    }

    /// Prints the URC(s) for a server request and keeps it pending for the TE's answer (or, for
    /// an observe with auto_ack 1, answers it at once with 2.05 and no value).
    private mutating func announce(_ request: ServerRequest) {
        let (o, i, r) = request.path.urcFields
        let messageID = Int64(request.messageID)
        switch request {
        case .read(_, _, let query):
            emit(URC.read(messageID: messageID, objectID: o, instanceID: i, resourceID: r, uriQuery: query))
        case .observe(_, let path, let cancel):
            emit(URC.observe(messageID: messageID, flag: cancel ? 1 : 0, objectID: o, instanceID: i, resourceID: r))
            if cancel {
                observations.remove(path)
                if notifyAssembly?.observedPath == path { notifyAssembly = nil }
            }
            if saved.options.autoAcknowledgeObserve {
                if !cancel { observations.insert(path) }
                pendingServerRequests[request.messageID] = nil
                issue(.respond(ServerResponse(messageID: request.messageID, operation: .observe, path: path, result: .content)),
                      as: .respond(responseName: nil))
                return
            }
        case .write(_, _, let parts):
            guard !parts.isEmpty else {
                out.diagnostics.append("write \(request.messageID) carries no value; not announced")
                return
            }
            for (offset, part) in parts.enumerated() {
                let (po, pi, pr) = part.path.urcFields
                emit(URC.write(messageID: messageID, objectID: po, instanceID: pi, resourceID: pr,
                               value: part.value, index: Int64(parts.count - 1 - offset)))
            }
        case .execute:
            emit(URC.execute(messageID: messageID, objectID: o, instanceID: i, resourceID: r))
        }
        pendingServerRequests[request.messageID] = PendingServerRequest(request: request)
    }

    /// The session is gone (failed recovery, lifetime over in deep sleep): AT+QLAREG again.
    mutating func loseSession() {
        status = .sessionNeedsRecovery
        registration = nil
        observations = []
        pendingServerRequests = [:]
        notifyAssembly = nil
    }

    // MARK: Deep sleep

    mutating func enterDeepSleep() {
        emit(URC.deepSleep(entered: true))
        power = .asleep
        sleptRegistered = status == .registered
        if sleptRegistered { issue(.suspend, as: nil) }
    }

    /// The first line after deep sleep wakes the module: `EXIT DEEPSLEEP`, then the session is
    /// resumed (`"recovered"` follows from the session's outcome, and the waking line is
    /// answered after it), or `"recovered",3` at once when the registration's lifetime ran out
    /// during the sleep.
    mutating func wake(now: Instant) {
        emit(URC.deepSleep(entered: false))
        power = .on
        lastActivity = now
        guard sleptRegistered else { return }
        sleptRegistered = false
        if let registration, now < registration.expiresAt {
            status = .recoveringSession
            issue(.resume, as: .resume)
            recoveryDeadline = now + recoveryAllowanceMilliseconds
        } else {
            emit(URC.recovered(resultCode: ResultCode.recoveryFailed.rawValue))
            issue(.discard, as: nil)
            loseSession()
        }
    }

    /// The longest a resume can take before the session reports it: the Update on the
    /// AT+QLACFG="retransmit" schedule (2,5: 2+4+...+64 = 126 s), after a DTLS handshake on the
    /// same schedule for security mode 0 (its waits are capped, so never longer), and one
    /// ACK_timeout more so the session's own verdict comes first.
    var recoveryAllowanceMilliseconds: Int64 {
        let ack = saved.options.ackTimeout * 1000
        let retransmissions = min(max(saved.options.maximumRetransmissions, 0), 16)
        let exchange = ack * ((Int64(1) << (retransmissions + 1)) - 1)
        let secure = configuredServer?.configuration.securityMode == .preSharedKey
        return exchange * (secure ? 2 : 1) + ack
    }

    /// A resume whose outcome never came (lost between the session and the module): given up
    /// at ``recoveryDeadline`` as timed out, so the module is not held silent. The session is
    /// dropped (AT+QLAREG again) and the lines that waited run.
    mutating func giveUpRecovery(now: Instant) {
        recoveryDeadline = nil
        for (id, kind) in outstanding where kind == .resume { outstanding[id] = nil }
        out.diagnostics.append("the session's recovery was not reported in \(recoveryAllowanceMilliseconds / 1000) s: given up")
        emit(URC.recovered(resultCode: ResultCode.timeout.rawValue))
        issue(.discard, as: nil)
        loseSession()
        answerLinesAwaitingRecovery(now: now)
    }
}
