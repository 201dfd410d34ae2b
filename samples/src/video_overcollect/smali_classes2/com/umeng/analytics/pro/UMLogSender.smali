.class public final Lcom/umeng/analytics/pro/UMLogSender;
.super Ljava/lang/Object;
.source "UMLogSender.java"

# Uploads Umeng log envelopes to Umeng's collector on a worker thread.

.implements Ljava/lang/Runnable;

.field private final body:Ljava/lang/String;

.method private constructor <init>(Ljava/lang/String;)V
    .registers 2
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    iput-object p1, p0, Lcom/umeng/analytics/pro/UMLogSender;->body:Ljava/lang/String;
    return-void
.end method

.method public static send(Ljava/lang/String;)V
    .registers 3
    new-instance v0, Ljava/lang/Thread;
    new-instance v1, Lcom/umeng/analytics/pro/UMLogSender;
    invoke-direct {v1, p0}, Lcom/umeng/analytics/pro/UMLogSender;-><init>(Ljava/lang/String;)V
    invoke-direct {v0, v1}, Ljava/lang/Thread;-><init>(Ljava/lang/Runnable;)V
    invoke-virtual {v0}, Ljava/lang/Thread;->start()V
    return-void
.end method

.method public run()V
    .registers 5
    :try_start_0
    new-instance v0, Ljava/net/URL;
    const-string v1, "https://alog.umeng.com/app_logs"
    invoke-direct {v0, v1}, Ljava/net/URL;-><init>(Ljava/lang/String;)V
    invoke-virtual {v0}, Ljava/net/URL;->openConnection()Ljava/net/URLConnection;
    move-result-object v0
    check-cast v0, Ljava/net/HttpURLConnection;
    const-string v1, "POST"
    invoke-virtual {v0, v1}, Ljava/net/HttpURLConnection;->setRequestMethod(Ljava/lang/String;)V
    const/4 v1, 0x1
    invoke-virtual {v0, v1}, Ljava/net/HttpURLConnection;->setDoOutput(Z)V
    invoke-virtual {v0}, Ljava/net/HttpURLConnection;->getOutputStream()Ljava/io/OutputStream;
    move-result-object v1
    iget-object v2, p0, Lcom/umeng/analytics/pro/UMLogSender;->body:Ljava/lang/String;
    const-string v3, "UTF-8"
    invoke-virtual {v2, v3}, Ljava/lang/String;->getBytes(Ljava/lang/String;)[B
    move-result-object v2
    invoke-virtual {v1, v2}, Ljava/io/OutputStream;->write([B)V
    invoke-virtual {v1}, Ljava/io/OutputStream;->close()V
    invoke-virtual {v0}, Ljava/net/HttpURLConnection;->getResponseCode()I
    invoke-virtual {v0}, Ljava/net/HttpURLConnection;->disconnect()V
    :try_end_0
    .catch Ljava/io/IOException; {:try_start_0 .. :try_end_0} :catch_0
    return-void

    :catch_0
    move-exception v0
    return-void
.end method
