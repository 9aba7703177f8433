package dev.apim.testsupport;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;

final class LocalServers {

    private LocalServers() {
    }

    static boolean postgresAnswers() {
        if (!listening(5432)) {
            return false;
        }
        try (Connection connection = DriverManager.getConnection(TestServicesTest.LOCAL_ADMIN_URL + "&connectTimeout=2")) {
            return connection.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
