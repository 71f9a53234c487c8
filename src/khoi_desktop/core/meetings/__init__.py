"""Chi bộ meetings (sinh hoạt chi bộ, issue 16): recording, criteria sheets, status, findings, reports."""
