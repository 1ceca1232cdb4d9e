import ATProtocol
import CoAP
import Testing
@testable import ModuleCore

@Suite("AT+QLACONFIG and AT+QLACFG")
struct ConfigurationTests {
    @Test func queryAnswersOnlyOKBeforeAnyConfiguration() {
        var bench = ModuleBench()
        #expect(bench.type("AT+QLACONFIG?") == ["OK"])
    }

    @Test func setThenQueryWithoutSecurity() {
        var bench = ModuleBench()
        #expect(bench.type("AT+QLACONFIG=0,\"221.229.214.202\",5683,\"urn:imei-imsi:866971030603068-460111174747875\",30,3") == ["OK"])
        #expect(bench.type("AT+QLACONFIG?") == [
            "+QLACONFIG: 0,\"221.229.214.202\",5683,\"urn:imei-imsi:866971030603068-460111174747875\",30,3,0", "OK",
        ])
        #expect(bench.savedState?.workingServer?.host == "221.229.214.202")
    }

    @Test func setWithPSKAndQueueBinding() {
        var bench = ModuleBench()
        #expect(bench.type("AT+QLACONFIG=0,\"10.0.0.1\",5684,\"ep1\",86400,0,\"id1\",\"secret\",1") == ["OK"])
        #expect(bench.type("AT+QLACONFIG?") == ["+QLACONFIG: 0,\"10.0.0.1\",5684,\"ep1\",86400,0,\"id1\",\"secret\",1", "OK"])
        let server = bench.savedState?.workingServer
        #expect(server?.securityMode == .preSharedKey)
        #expect(server?.binding == .udpQueue)
    }

    @Test(arguments: [
        "AT+QLACONFIG=0,\"h\",65536,\"ep\",300,3",          // port out of range
        "AT+QLACONFIG=0,\"h\",5683,\"ep\",19,3",            // lifetime below 20
        "AT+QLACONFIG=0,\"h\",5683,\"ep\",31536001,3",      // lifetime above a year
        "AT+QLACONFIG=2,\"h\",5683,\"ep\",300,3",           // bootstrap flag
        "AT+QLACONFIG=0,\"h\",5683,\"ep\",300,1",           // security mode 1
        "AT+QLACONFIG=0,\"h\",5683,\"ep\",300,0",           // PSK missing
        "AT+QLACONFIG=0,\"h\",5683,\"ep\",300,3,\"id\",\"k\"", // PSK without security
        "AT+QLACONFIG=0,\"h\",5683,\"ep\",300,3,2",         // binding mode 2
        "AT+QLACONFIG=0,\"\",5683,\"ep\",300,3",            // empty host
        "AT+QLACONFIG=0,h,5683,\"ep\",300,3",               // unquoted host
    ])
    func parameterErrorsChangeNothing(line: String) {
        var bench = ModuleBench()
        bench.configure()
        let saves = bench.saveCount
        #expect(bench.type(line) == ["ERROR"])
        #expect(bench.saveCount == saves)
        #expect(bench.type("AT+QLACONFIG?") == ["+QLACONFIG: 0,\"180.101.147.115\",5683,\"867724030023557\",300,3,0", "OK"])
    }

    @Test func refusedWhileASessionIsUp() {
        var bench = ModuleBench()
        bench.configure()
        bench.type("AT+QLAREG")
        #expect(bench.status == .registering)
        #expect(bench.type("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,3") == ["ERROR"])
        bench.event(.outcome(bench.session.lastRegister!.id, .completed(.success)))
        #expect(bench.type("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,3") == ["ERROR"])
        bench.type("AT+QLADEREG")
        bench.event(.outcome(bench.session.last!.id, .completed(.success)))
        #expect(bench.status == .deregistered)
        #expect(bench.type("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,3") == ["OK"], "allowed again once deregistered")
    }

    @Test func bootstrapServerIsNotShownNorSaved() {
        var bench = ModuleBench()
        bench.configure()
        #expect(bench.type("AT+QLACONFIG=1,\"lwm.home.komect.com\",5683,\"866971031275899\",30,3") == ["OK"])
        #expect(bench.type("AT+QLACONFIG?") == ["OK"])
        #expect(bench.savedState?.workingServer == nil)
        #expect(bench.module.configuredServer?.isBootstrap == true)
    }

    // MARK: AT+QLACFG

    static let defaultLines = [
        "+QLACFG: \"retransmit\",2,5",
        "+QLACFG: \"auto_ack\",0",
        "+QLACFG: \"platform\",0",
        "+QLACFG: \"lifetime_enable\",1",
        "+QLACFG: \"dtls_mode\",0",
        "+QLACFG: \"dtls_version\",2",
    ]

    @Test func queryAllShowsTheDefaults() {
        var bench = ModuleBench()
        #expect(bench.type("AT+QLACFG?") == Self.defaultLines + ["OK"])
    }

    @Test func setEveryKeyAsTheNoteExampleThenQuery() {
        var bench = ModuleBench()
        for line in ["AT+QLACFG=\"retransmit\",2,4", "AT+QLACFG=\"platform\",1", "AT+QLACFG=\"cfg_res\",3,0,17,\"500677\"",
                     "AT+QLACFG=\"auto_ack\",1", "AT+QLACFG=\"lifetime_enable\",0", "AT+QLACFG=\"dtls_mode\",1",
                     "AT+QLACFG=\"dtls_version\",1"] {
            #expect(bench.type(line) == ["OK"], "\(line)")
        }
        #expect(bench.type("AT+QLACFG?") == [
            "+QLACFG: \"retransmit\",2,4", "+QLACFG: \"auto_ack\",1", "+QLACFG: \"platform\",1",
            "+QLACFG: \"cfg_res\",3,0,17,\"500677\"", "+QLACFG: \"lifetime_enable\",0",
            "+QLACFG: \"dtls_mode\",1", "+QLACFG: \"dtls_version\",1", "OK",
        ])
        let options = bench.savedState?.options
        #expect(options?.maximumRetransmissions == 4)
        #expect(options?.platform == .ctAEP)
        #expect(options?.autoAcknowledgeObserve == true)
        #expect(options?.lifetimeEnable == false)
    }

    @Test func queryOneKey() {
        var bench = ModuleBench()
        #expect(bench.type("AT+QLACFG=\"retransmit\"") == ["+QLACFG: \"retransmit\",2,5", "OK"])
        #expect(bench.type("AT+QLACFG=\"PLATFORM\"") == ["+QLACFG: \"platform\",0", "OK"], "keys in any case")
        #expect(bench.type("AT+QLACFG=\"cfg_res\"") == ["OK"], "no resource configured yet")
        bench.type("AT+QLACFG=\"cfg_res\",3,0,17,\"500677\"")
        bench.type("AT+QLACFG=\"cfg_res\",3,0,17,\"500678\"")
        #expect(bench.type("AT+QLACFG=\"cfg_res\"") == ["+QLACFG: \"cfg_res\",3,0,17,\"500678\"", "OK"], "the same path is replaced")
    }

    @Test(arguments: [
        "AT+QLACFG=\"retransmit\",1,5", "AT+QLACFG=\"retransmit\",21,5", "AT+QLACFG=\"retransmit\",2,9",
        "AT+QLACFG=\"retransmit\",2", "AT+QLACFG=\"auto_ack\",2", "AT+QLACFG=\"platform\",3",
        "AT+QLACFG=\"lifetime_enable\",-1", "AT+QLACFG=\"dtls_mode\",2", "AT+QLACFG=\"dtls_version\",3",
        "AT+QLACFG=\"nonsense\",1", "AT+QLACFG=retransmit,2,5",
        "AT+QLACFG=\"cfg_res\",19,0,0,\"x\"",      // not a built-in object
        "AT+QLACFG=\"cfg_res\",3,1,17,\"x\"",      // no instance 1
        "AT+QLACFG=\"cfg_res\",3,0,99,\"x\"",      // no resource 99 in Device
        "AT+QLACFG=\"cfg_res\",3,0,13,\"soon\"",   // Current Time is a time, not text
        "AT+QLACFG=\"cfg_res\",3,0,17,500677",     // value unquoted
    ])
    func qlacfgErrorsChangeNothing(line: String) {
        var bench = ModuleBench()
        #expect(bench.type(line) == ["ERROR"])
        #expect(bench.saveCount == 0)
        #expect(bench.type("AT+QLACFG?") == Self.defaultLines + ["OK"])
    }

    @Test func dtlsKeysOnlyWithoutASession() {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.type("AT+QLACFG=\"dtls_mode\",1") == ["ERROR"])
        #expect(bench.type("AT+QLACFG=\"dtls_version\",0") == ["ERROR"])
        #expect(bench.type("AT+QLACFG=\"dtls_mode\"") == ["+QLACFG: \"dtls_mode\",0", "OK"], "querying is fine")
        #expect(bench.type("AT+QLACFG=\"platform\",2") == ["OK"], "other keys are not tied to the status")
    }

    @Test func productIDReachesTheSessionObjects() throws {
        var bench = ModuleBench()
        bench.type("AT+QLACFG=\"cfg_res\",3,0,17,\"500677\"")
        bench.configure()
        bench.type("AT+QLAREG")
        let configuration = try #require(bench.session.lastRegister?.configuration)
        #expect(configuration.objects.value(at: .init(3, 0, 17)) == .string("500677"))
        #expect(configuration.objects.value(at: .init(0, 0, 0)) == .string("coap://180.101.147.115:5683"))
        #expect(configuration.objects.value(at: .init(1, 0, 1)) == .integer(300))
        #expect(configuration.server.endpoint == "867724030023557")
        #expect(configuration.bootstrap == false)
        #expect(configuration.ackTimeoutSeconds == 2 && configuration.maximumRetransmissions == 5)
    }
}
