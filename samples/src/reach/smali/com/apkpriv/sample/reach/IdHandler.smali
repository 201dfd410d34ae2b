.class final Lcom/apkpriv/sample/reach/IdHandler;
.super Landroid/os/Handler;
.source "IdHandler.java"

# Case d: handleMessage is reached only through Handler.sendMessage (message what == 1).

.field private final context:Landroid/content/Context;

.method constructor <init>(Landroid/content/Context;)V
    .registers 3
    invoke-static {}, Landroid/os/Looper;->getMainLooper()Landroid/os/Looper;
    move-result-object v0
    invoke-direct {p0, v0}, Landroid/os/Handler;-><init>(Landroid/os/Looper;)V
    iput-object p1, p0, Lcom/apkpriv/sample/reach/IdHandler;->context:Landroid/content/Context;
    return-void
.end method

.method public handleMessage(Landroid/os/Message;)V
    .registers 4
    iget v0, p1, Landroid/os/Message;->what:I
    const/4 v1, 0x1
    if-ne v0, v1, :other
    iget-object v0, p0, Lcom/apkpriv/sample/reach/IdHandler;->context:Landroid/content/Context;
    invoke-virtual {v0}, Landroid/content/Context;->getContentResolver()Landroid/content/ContentResolver;
    move-result-object v0
    const-string v1, "android_id"
    invoke-static {v0, v1}, Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;

    :other
    return-void
.end method
