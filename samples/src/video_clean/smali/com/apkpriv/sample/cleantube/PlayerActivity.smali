.class public Lcom/apkpriv/sample/cleantube/PlayerActivity;
.super Landroid/app/Activity;
.source "PlayerActivity.java"

# Launcher: a full-screen VideoView streaming over HTTPS; fetches the feed on a worker thread.
# No device identifiers, no location, no clipboard.

.implements Landroid/media/MediaPlayer$OnPreparedListener;

.field private videoView:Landroid/widget/VideoView;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 5
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    new-instance v0, Landroid/widget/VideoView;
    invoke-direct {v0, p0}, Landroid/widget/VideoView;-><init>(Landroid/content/Context;)V
    iput-object v0, p0, Lcom/apkpriv/sample/cleantube/PlayerActivity;->videoView:Landroid/widget/VideoView;
    invoke-virtual {v0, p0}, Landroid/widget/VideoView;->setOnPreparedListener(Landroid/media/MediaPlayer$OnPreparedListener;)V
    const-string v1, "https://media.cleantube.example.com/v/featured.m3u8"
    invoke-static {v1}, Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;
    move-result-object v1
    invoke-virtual {v0, v1}, Landroid/widget/VideoView;->setVideoURI(Landroid/net/Uri;)V
    invoke-virtual {p0, v0}, Lcom/apkpriv/sample/cleantube/PlayerActivity;->setContentView(Landroid/view/View;)V

    new-instance v1, Ljava/lang/Thread;
    new-instance v2, Lcom/apkpriv/sample/cleantube/FeedClient;
    invoke-direct {v2}, Lcom/apkpriv/sample/cleantube/FeedClient;-><init>()V
    invoke-direct {v1, v2}, Ljava/lang/Thread;-><init>(Ljava/lang/Runnable;)V
    invoke-virtual {v1}, Ljava/lang/Thread;->start()V
    return-void
.end method

.method protected onPause()V
    .registers 2
    invoke-super {p0}, Landroid/app/Activity;->onPause()V
    iget-object v0, p0, Lcom/apkpriv/sample/cleantube/PlayerActivity;->videoView:Landroid/widget/VideoView;
    invoke-virtual {v0}, Landroid/widget/VideoView;->pause()V
    return-void
.end method

.method public onPrepared(Landroid/media/MediaPlayer;)V
    .registers 3
    const/4 v0, 0x1
    invoke-virtual {p1, v0}, Landroid/media/MediaPlayer;->setLooping(Z)V
    iget-object v0, p0, Lcom/apkpriv/sample/cleantube/PlayerActivity;->videoView:Landroid/widget/VideoView;
    invoke-virtual {v0}, Landroid/widget/VideoView;->start()V
    return-void
.end method
