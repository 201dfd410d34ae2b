.class public Lcom/apkpriv/sample/reach/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

# Launcher. onCreate: case c (first use of DeviceSerial runs its <clinit>), case b (IdSource
# via the factory), case d (Thread + LocRunnable, Handler.post + MacTask, IdHandler.sendMessage).
# onResume: case f (clipboard read with no user action).

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 6
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    new-instance v0, Landroid/widget/TextView;
    invoke-direct {v0, p0}, Landroid/widget/TextView;-><init>(Landroid/content/Context;)V
    invoke-virtual {p0, v0}, Lcom/apkpriv/sample/reach/MainActivity;->setContentView(Landroid/view/View;)V

    # case c
    invoke-static {}, Lcom/apkpriv/sample/reach/DeviceSerial;->value()Ljava/lang/String;
    move-result-object v1
    invoke-virtual {v0, v1}, Landroid/widget/TextView;->setText(Ljava/lang/CharSequence;)V

    # case b
    invoke-static {}, Lcom/apkpriv/sample/reach/IdSources;->get()Lcom/apkpriv/sample/reach/IdSource;
    move-result-object v1
    invoke-interface {v1, p0}, Lcom/apkpriv/sample/reach/IdSource;->read(Landroid/content/Context;)Ljava/lang/String;

    invoke-virtual {p0}, Lcom/apkpriv/sample/reach/MainActivity;->getApplicationContext()Landroid/content/Context;
    move-result-object v1

    # case d: Thread(Runnable).start()
    new-instance v2, Ljava/lang/Thread;
    new-instance v3, Lcom/apkpriv/sample/reach/LocRunnable;
    invoke-direct {v3, v1}, Lcom/apkpriv/sample/reach/LocRunnable;-><init>(Landroid/content/Context;)V
    invoke-direct {v2, v3}, Ljava/lang/Thread;-><init>(Ljava/lang/Runnable;)V
    invoke-virtual {v2}, Ljava/lang/Thread;->start()V

    # case d: Handler.post(Runnable)
    new-instance v2, Landroid/os/Handler;
    invoke-static {}, Landroid/os/Looper;->getMainLooper()Landroid/os/Looper;
    move-result-object v3
    invoke-direct {v2, v3}, Landroid/os/Handler;-><init>(Landroid/os/Looper;)V
    new-instance v3, Lcom/apkpriv/sample/reach/MacTask;
    invoke-direct {v3, v1}, Lcom/apkpriv/sample/reach/MacTask;-><init>(Landroid/content/Context;)V
    invoke-virtual {v2, v3}, Landroid/os/Handler;->post(Ljava/lang/Runnable;)Z

    # case d: Handler subclass, sendMessage -> handleMessage
    new-instance v2, Lcom/apkpriv/sample/reach/IdHandler;
    invoke-direct {v2, v1}, Lcom/apkpriv/sample/reach/IdHandler;-><init>(Landroid/content/Context;)V
    const/4 v3, 0x1
    invoke-virtual {v2, v3}, Lcom/apkpriv/sample/reach/IdHandler;->obtainMessage(I)Landroid/os/Message;
    move-result-object v3
    invoke-virtual {v2, v3}, Lcom/apkpriv/sample/reach/IdHandler;->sendMessage(Landroid/os/Message;)Z
    return-void
.end method

.method protected onResume()V
    .registers 2
    invoke-super {p0}, Landroid/app/Activity;->onResume()V
    # case f
    const-string v0, "clipboard"
    invoke-virtual {p0, v0}, Lcom/apkpriv/sample/reach/MainActivity;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/content/ClipboardManager;
    invoke-virtual {v0}, Landroid/content/ClipboardManager;->getPrimaryClip()Landroid/content/ClipData;
    return-void
.end method
