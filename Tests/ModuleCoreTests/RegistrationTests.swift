import ATProtocol
import CoAP
import LwM2M
import Testing
@testable import ModuleCore

@Suite("Registration and the status machine")
struct RegistrationTests {
    @Test func registerWithoutAConfigurationIsAnError() {
        var bench = ModuleBench()
        #expect(bench.type("AT+QLAREG") == ["ERROR"])
        #expect(bench.session.requests.isEmpty)
        #expect(bench.type("AT+QLAREG=1") == ["ERROR"], "no set form")
    }

    @Test func registerSucceeds() throws {
        var bench = ModuleBench()
        bench.configure()
        #expect(bench.type("AT+QLASTATUS?") == ["+QLASTATUS: 0", "OK"])
        #expect(bench.type("AT+QLAREG") == ["OK"])
        #expect(bench.type("AT+QLASTATUS?") == ["+QLASTATUS: 1", "OK"])
        #expect(bench.type("AT+QLAREG") == ["ERROR"], "already registering")
        let register = try #require(bench.session.lastRegister)
        #expect(register.configuration.server.host == "180.101.147.115")
        #expect(bench.event(.outcome(register.id, .completed(.success))) == ["+QLAREG: 0"])
        #expect(bench.type("AT+QLASTATUS?") == ["+QLASTATUS: 2", "OK"])
        #expect(bench.type("AT+QLAREG") == ["ERROR"], "already registered")
    }

    @Test func registerFailureLeavesTheModuleUnregistered() throws {
        var bench = ModuleBench()
        bench.configure()
        bench.type("AT+QLAREG")
        let id = try #require(bench.session.lastRegister?.id)
        #expect(bench.event(.outcome(id, .completed(.forbidden))) == ["+QLAREG: 403"])
        #expect(bench.status == .unregistered)
        #expect(bench.type("AT+QLAREG") == ["OK"], "may try again")
    }

    @Test func outcomesForUnknownRequestsAreIgnored() {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.event(.outcome(SessionRequestID(999), .completed(.success))) == [])
        #expect(bench.diagnostics.last?.contains("not outstanding") == true)
        // A register outcome that does not fit (a "sent") is ignored too.
        bench.type("AT+QLADEREG")
        let id = bench.session.last!.id
        #expect(bench.event(.outcome(id, .sent(messageID: 1))) == [])
        #expect(bench.status == .deregistering)
    }

    @Test func bootstrapHandsOutTheWorkingServerWhichIsSaved() throws {
        var bench = ModuleBench()
        bench.type("AT+QLACONFIG=1,\"lwm.home.komect.com\",5683,\"866971031275899\",30,3")
        bench.type("AT+QLAREG")
        let register = try #require(bench.session.lastRegister)
        #expect(register.configuration.bootstrap)
        #expect(register.configuration.objects.value(at: .init(0, 0, 1)) == .boolean(true))
        let working = ServerConfiguration(host: "10.1.2.3", port: 5683, endpoint: "866971031275899", lifetime: 30)
        #expect(bench.event(.bindingChanged(.udp)) == ["+QLAURC: \"binding_changed\",U"])
        #expect(bench.event(.bootstrapFinished(working)) == ["+QLAURC: \"bs_finished\""])
        #expect(bench.savedState?.workingServer == working)
        #expect(bench.event(.outcome(register.id, .completed(.success))) == ["+QLAREG: 0"])
        #expect(bench.type("AT+QLACONFIG?") == ["+QLACONFIG: 0,\"10.1.2.3\",5683,\"866971031275899\",30,3,0", "OK"])
    }

    @Test func updateLifetimeAsTheExample() throws {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.type("AT+QLAUPDATE=0,100") == ["OK"])
        let update = try #require(bench.session.lastUpdate)
        #expect(update.action == .update(lifetime: 100, binding: nil, rai: .none))
        #expect(bench.event(.outcome(update.id, .completed(.success, messageID: 41760))) == ["+QLAUPDATE: 0,41760"])
        #expect(bench.savedState?.workingServer?.lifetime == 100, "the new lifetime is saved")
        #expect(bench.type("AT+QLACONFIG?").first == "+QLACONFIG: 0,\"180.101.147.115\",5683,\"867724030023557\",100,3,0")
    }

    @Test func updateBindingWithRAI() throws {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.type("AT+QLAUPDATE=1,1,2") == ["OK"])
        let update = try #require(bench.session.lastUpdate)
        #expect(update.action == .update(lifetime: nil, binding: .udpQueue, rai: .releaseAfterReply))
        #expect(bench.type("AT+QLAUPDATE=0,100") == ["ERROR"], "one update at a time")
        #expect(bench.event(.outcome(update.id, .completed(.timeout, messageID: 7))) == ["+QLAUPDATE: 1,7"])
        #expect(bench.savedState?.workingServer?.binding == .udp, "a failed update changes nothing")
        #expect(bench.status == .registered)
    }

    @Test(arguments: ["AT+QLAUPDATE=0,19", "AT+QLAUPDATE=0,31536001", "AT+QLAUPDATE=1,2", "AT+QLAUPDATE=2,1",
                      "AT+QLAUPDATE=0,100,3", "AT+QLAUPDATE=0", "AT+QLAUPDATE"])
    func updateParameterErrors(line: String) {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.type(line) == ["ERROR"])
        #expect(bench.session.lastUpdate == nil)
    }

    @Test func updateWhenNotRegisteredIsAnError() {
        var bench = ModuleBench()
        bench.configure()
        #expect(bench.type("AT+QLAUPDATE=0,100") == ["ERROR"])
    }

    @Test func updateFailsOnceTheAcceptedLifetimeHasPassed() {
        var bench = ModuleBench()
        bench.type("AT+QLACFG=\"lifetime_enable\",0")
        bench.register(lifetime: 300)
        #expect(bench.module.nextDeadline == Instant(milliseconds: 300_000), "no automatic update: only the expiry")
        bench.advance(toMilliseconds: 299_999)
        #expect(bench.status == .registered)
        #expect(bench.type("AT+QLAUPDATE=0,300") == ["OK"])
        bench.event(.outcome(bench.session.lastUpdate!.id, .completed(.success, messageID: 1)))
        // Refreshed at 299.999 s: valid until 599.999 s.
        bench.advance(toMilliseconds: 599_998)
        #expect(bench.status == .registered)
        bench.advance(toMilliseconds: 599_999)
        #expect(bench.type("AT+QLAUPDATE=0,300") == ["ERROR"])
        #expect(bench.type("AT+QLASTATUS?") == ["+QLASTATUS: 5", "OK"])
        #expect(bench.type("AT+QLAREG") == ["OK"], "register again")
    }

    @Test func automaticUpdateAtExactly250SecondsForLifetime300() throws {
        var bench = ModuleBench()
        bench.register(lifetime: 300)
        #expect(bench.module.nextDeadline == Instant(milliseconds: 250_000))
        bench.advance(toMilliseconds: 249_999)
        #expect(bench.session.lastUpdate == nil)
        bench.advance(toMilliseconds: 250_000)
        let update = try #require(bench.session.lastUpdate)
        #expect(update.action == .update(lifetime: nil, binding: nil, rai: .none))
        #expect(bench.module.nextDeadline == nil, "nothing more until the update ends (sleep is forbidden)")
        bench.advance(toMilliseconds: 251_000)
        #expect(bench.event(.outcome(update.id, .completed(.success, messageID: 5))) == ["+QLAURC: \"ping\",0"])
        #expect(bench.module.nextDeadline == Instant(milliseconds: 501_000), "250 s after the refresh")
    }

    @Test func automaticUpdateFailureIsReportedNotRetriedAndTheLifetimeRunsOut() throws {
        var bench = ModuleBench()
        bench.register(lifetime: 30)
        bench.advance(toMilliseconds: 15_000)
        let update = try #require(bench.session.lastUpdate)
        #expect(bench.event(.outcome(update.id, .completed(.timeout, messageID: nil))) == ["+QLAURC: \"ping\",1"])
        #expect(bench.module.nextDeadline == Instant(milliseconds: 30_000), "no retry: next is the expiry")
        bench.advance(toMilliseconds: 30_000)
        #expect(bench.session.lastUpdate?.id == update.id)
        #expect(bench.status == .invalid)
    }

    @Test func updateAnsweredNotFoundMakesTheRegistrationInvalid() throws {
        var bench = ModuleBench()
        bench.register(lifetime: 30)
        bench.type("AT+QLAUPDATE=0,40")
        let update = try #require(bench.session.lastUpdate)
        #expect(bench.event(.outcome(update.id, .completed(.notFound, messageID: 9))) == ["+QLAUPDATE: 404,9"])
        #expect(bench.status == .invalid, "the server no longer knows the registration")
        #expect(bench.savedState?.workingServer?.lifetime == 30)
    }

    @Test(arguments: [(20, 10_000), (30, 15_000), (40, 22_500), (50, 30_000), (100, 70_000), (300, 250_000), (86_400, 82_045_000)] as [(Int64, Int64)])
    func updateIntervalFollowsTheNote(lifetime: Int64, milliseconds: Int64) {
        #expect(UpdateInterval.milliseconds(forLifetime: lifetime) == milliseconds)
    }

    @Test func noAutomaticUpdateWhenDisabledWhileRegistered() {
        var bench = ModuleBench()
        bench.register(lifetime: 300)
        bench.type("AT+QLACFG=\"lifetime_enable\",0")
        #expect(bench.module.nextDeadline == Instant(milliseconds: 300_000))
        bench.advance(toMilliseconds: 260_000)
        #expect(bench.session.lastUpdate == nil)
    }

    @Test func deregisterGoesThroughStatus3To4() throws {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.type("AT+QLADEREG") == ["OK"])
        #expect(bench.status == .deregistering)
        #expect(bench.type("AT+QLADEREG") == ["ERROR"])
        let id = try #require(bench.session.last?.id)
        #expect(bench.session.last?.action == .deregister)
        #expect(bench.event(.outcome(id, .completed(.success))) == ["+QLADEREG: 0"])
        #expect(bench.type("AT+QLASTATUS?") == ["+QLASTATUS: 4", "OK"])
        #expect(bench.type("AT+QLADEREG") == ["ERROR"])
        #expect(bench.type("AT+QLAREG") == ["OK"], "4.2.2 registers again after deregistering")
    }

    @Test func serverLifetimeChangeIsPrintedAndSaved() {
        var bench = ModuleBench()
        bench.register(lifetime: 300)
        #expect(bench.event(.lifetimeChanged(600)) == ["+QLAURC: \"lifetime_changed\",600"])
        #expect(bench.savedState?.workingServer?.lifetime == 600)
        #expect(bench.module.nextDeadline == Instant(milliseconds: UpdateInterval.milliseconds(forLifetime: 600)))
    }
}
